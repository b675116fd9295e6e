namespace GovernanceDashboard.Ingestion.Rules;

/// <summary>How an imported token gets its owner (docs/imports.md "Occurrences, exposures, re-imports"), the one definition: an owners-csv rule
/// matches a token of the same platform whose account is the rule's account in any case; the rule's owner (a person
/// of the directory) becomes the confirmed owner unless a person chose the owner (any source other than a rule); a
/// commit author who is an active person becomes the suggested owner of a token with neither owner nor suggestion.
/// <see cref="OwnershipAssignment"/> applies the same rule set-based, from the SQL expressions below.</summary>
public static class OwnerAssignmentRule
{
    /// <summary>Whether a rule for this platform account applies to a token (accounts compare without case).</summary>
    public static bool Matches(TokenPlatform rulePlatform, string ruleAccount, TokenPlatform platform, string? account) =>
        rulePlatform == platform && account is not null && string.Equals(ruleAccount, account, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the matching rule's owner (null: no rule matches, or its owner is not in the directory) replaces the
    /// token's owner: a person's own choice is kept, and an owner the rule already gave is not written again.</summary>
    public static bool Replaces(int? ownerId, OwnerSource source, int? ruleOwnerId) =>
        ruleOwnerId is { } rule && (ownerId is null || source == OwnerSource.Rule) && ownerId != rule;

    /// <summary>The suggested owner: none once the token has an owner or a suggestion; otherwise the earliest occurrence's
    /// author who is an active person (authors in occurrence order; null where the author is not in the directory).</summary>
    public static int? Suggestion(int? ownerId, int? suggestedOwnerId, IEnumerable<(int? PersonId, bool Active)> authors)
    {
        ArgumentNullException.ThrowIfNull(authors);
        if (ownerId is not null || suggestedOwnerId is not null) return suggestedOwnerId;
        foreach (var (person, active) in authors)
        {
            if (person is not null && active) return person;
        }
        return null;
    }

    /// <summary><see cref="Matches"/> as a SQL condition over a rule row and a token row (SQL expressions; enums stored by name).</summary>
    public static string MatchesSql(string rulePlatform, string ruleAccount, string platform, string account) =>
        $"{rulePlatform} = {platform} AND lower({ruleAccount}) = lower({account})";

    /// <summary><see cref="Replaces"/> as a SQL condition (SQL expressions for the owner, its source and the rule's owner).</summary>
    public static string ReplacesSql(string ownerId, string source, string ruleOwnerId) =>
        $"{ruleOwnerId} IS NOT NULL AND ({ownerId} IS NULL OR {source} = '{nameof(OwnerSource.Rule)}') AND ({ownerId} IS NULL OR {ownerId} <> {ruleOwnerId})";
}
