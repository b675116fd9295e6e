namespace GovernanceDashboard.Ingestion;

/// <summary>Applies <see cref="OwnerAssignmentRule"/> set-based in the store: owners from owners-csv rules (confirmed)
/// and from commit authors found in the directory (suggested only). Only the SQL lives here; table and column names
/// come from the model (tables are named after the context's sets).</summary>
internal static class OwnershipAssignment
{
    private const string Tokens = $"\"{nameof(GovernanceDbContext.Tokens)}\"";
    private const string People = $"\"{nameof(GovernanceDbContext.People)}\"";
    private const string Rules = $"\"{nameof(GovernanceDbContext.OwnershipRules)}\"";
    private const string Occurrences = $"\"{nameof(GovernanceDbContext.Occurrences)}\"";
    private const string OwnerId = $"\"{nameof(Token.OwnerId)}\"";
    private const string OwnerSourceColumn = $"\"{nameof(Token.OwnerSource)}\"";
    private const string SuggestedOwnerId = $"\"{nameof(Token.SuggestedOwnerId)}\"";
    private const string TokenId = $"\"{nameof(Occurrence.TokenId)}\"";
    private const string Id = "\"Id\"";

    private static readonly string RuleOwner = $"""
        (SELECT p.{Id} FROM {Rules} r JOIN {People} p ON p."{nameof(Person.Email)}" = lower(r."{nameof(OwnershipRule.OwnerEmail)}")
         WHERE {OwnerAssignmentRule.MatchesSql($"r.\"{nameof(OwnershipRule.Platform)}\"", $"r.\"{nameof(OwnershipRule.Account)}\"",
             $"{Tokens}.\"{nameof(Token.Platform)}\"", $"{Tokens}.\"{nameof(Token.Account)}\"")})
        """;

    private static readonly string ApplyRulesSql = $"""
        UPDATE {Tokens} SET {OwnerId} = {RuleOwner}, {OwnerSourceColumn} = '{nameof(OwnerSource.Rule)}', "{nameof(Token.OwnerConfirmedAt)}" = {"{0}"}
        WHERE "{nameof(Token.Account)}" IS NOT NULL AND {OwnerAssignmentRule.ReplacesSql(OwnerId, OwnerSourceColumn, RuleOwner)}
          AND ({"{1}"} = 0 OR {Id} IN (SELECT {TokenId} FROM {Occurrences} WHERE "{nameof(Occurrence.ImportId)}" = {"{1}"}))
        """;

    // The earliest occurrence whose author is an active person (OwnerAssignmentRule.Suggestion).
    private static readonly string ActiveAuthors = $"""
        {Occurrences} o JOIN {People} p ON p."{nameof(Person.Email)}" = o."{nameof(Occurrence.AuthorEmail)}" WHERE p."{nameof(Person.Active)}"
        """;

    private static readonly string SuggestSql = $"""
        UPDATE {Tokens} SET {SuggestedOwnerId} = (
            SELECT p.{Id} FROM {ActiveAuthors} AND o.{TokenId} = {Tokens}.{Id} ORDER BY o.{Id} LIMIT 1)
        WHERE {OwnerId} IS NULL AND {SuggestedOwnerId} IS NULL AND {Id} IN (
            SELECT o.{TokenId} FROM {ActiveAuthors} AND ({"{0}"} = 0 OR o."{nameof(Occurrence.ImportId)}" = {"{0}"}))
        """;

    /// <summary>Gives every token whose platform account matches a rule that rule's owner, unless a person chose its owner.
    /// Only the tokens an import saw anew when importId is set (their account may just have become known); all tokens (null) after a directory or rules import.</summary>
    public static Task<int> ApplyRulesAsync(GovernanceDbContext db, int? importId, DateTimeOffset now, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(ApplyRulesSql, [now.ToUnixTimeMilliseconds(), importId ?? 0], ct);

    /// <summary>A commit author who is an active person becomes the suggested owner of a token without one; it counts only once confirmed.</summary>
    public static Task<int> SuggestFromCommitAuthorsAsync(GovernanceDbContext db, int? importId, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(SuggestSql, [importId ?? 0], ct);
}
