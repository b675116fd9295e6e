using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Ingestion;

/// <summary>Owners from owners-csv rules (confirmed) and from commit authors found in the directory (suggested only).</summary>
internal static class OwnershipAssignment
{
    private const string RuleOwner = """
        (SELECT p."Id" FROM "OwnershipRules" r JOIN "People" p ON p."Email" = lower(r."OwnerEmail")
         WHERE r."Platform" = "Tokens"."Platform" AND lower(r."Account") = lower("Tokens"."Account"))
        """;

    /// <summary>Gives every token whose platform account matches a rule that rule's owner, unless a person chose its owner.
    /// Only the tokens an import saw anew when importId is set (their account may just have become known); all tokens (null) after a directory or rules import.</summary>
    public static Task<int> ApplyRulesAsync(GovernanceDbContext db, int? importId, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($$"""
            UPDATE "Tokens" SET "OwnerId" = {{RuleOwner}}, "OwnerSource" = '{{nameof(OwnerSource.Rule)}}', "OwnerConfirmedAt" = {0}
            WHERE "Account" IS NOT NULL AND ("OwnerId" IS NULL OR "OwnerSource" = '{{nameof(OwnerSource.Rule)}}')
              AND {{RuleOwner}} IS NOT NULL AND ("OwnerId" IS NULL OR "OwnerId" <> {{RuleOwner}})
              AND ({1} = 0 OR "Id" IN (SELECT "TokenId" FROM "Occurrences" WHERE "ImportId" = {1}))
            """, [now.ToUnixTimeMilliseconds(), importId ?? 0], ct);

    /// <summary>A commit author who is an active person becomes the suggested owner of a token without one; it counts only once confirmed.</summary>
    public static Task<int> SuggestFromCommitAuthorsAsync(GovernanceDbContext db, int? importId, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync("""
            UPDATE "Tokens" SET "SuggestedOwnerId" = (
                SELECT p."Id" FROM "Occurrences" o JOIN "People" p ON p."Email" = o."AuthorEmail"
                WHERE o."TokenId" = "Tokens"."Id" AND p."Active" ORDER BY o."Id" LIMIT 1)
            WHERE "OwnerId" IS NULL AND "SuggestedOwnerId" IS NULL AND "Id" IN (
                SELECT o."TokenId" FROM "Occurrences" o JOIN "People" p ON p."Email" = o."AuthorEmail"
                WHERE p."Active" AND ({0} = 0 OR o."ImportId" = {0}))
            """, [importId ?? 0], ct);
}
