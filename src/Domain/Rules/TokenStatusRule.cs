namespace GovernanceDashboard.Domain.Rules;

/// <summary>docs/metrics.md token status, the one definition: revoked outranks expired, expired outranks exposed, and a token
/// neither revoked, expired nor with an open exposure is active. The entity (<see cref="Token.StatusAt"/>), the in-memory facts
/// (instants as UTC milliseconds) and the import's SQL (<see cref="Sql"/>) all read it from here.</summary>
/// <remarks>Generic over the instant type so that the facts' loop over <c>long</c> columns gets a specialised, inlined copy
/// (value-type generics are compiled per type, and <c>long.CompareTo</c> inlines to a comparison) and the entity keeps <see cref="DateTimeOffset"/> precision. "Never" is the
/// type's maximum (<see cref="DateTimeOffset.MaxValue"/>, <c>long.MaxValue</c>).</remarks>
public static class TokenStatusRule
{
    public static TokenStatus At<T>(T revoked, T expires, T at, bool exposed) where T : struct, IComparable<T> =>
        revoked.CompareTo(at) <= 0 ? TokenStatus.Revoked
        : expires.CompareTo(at) <= 0 ? TokenStatus.Expired
        : exposed ? TokenStatus.Exposed : TokenStatus.Active;

    /// <summary>Active in the metrics' sense: neither revoked nor expired (an exposed token is active).</summary>
    public static bool IsActive(TokenStatus status) => status is TokenStatus.Active or TokenStatus.Exposed;

    /// <summary>The same rule as a store query: the tokens active (neither revoked nor expired) at <paramref name="at"/>.</summary>
    public static System.Linq.Expressions.Expression<Func<Token, bool>> ActiveAt(DateTimeOffset at) =>
        t => (t.RevokedAt == null || t.RevokedAt > at) && (t.ExpiresAt == null || t.ExpiresAt > at);

    /// <summary>The same rule as a SQL expression for the import, which sets the stored (current) status inside its statement:
    /// <paramref name="revoked"/>, <paramref name="expires"/> and <paramref name="at"/> are SQL expressions of one instant
    /// type (nullable columns: null is never), <paramref name="exposedStatus"/> names the status an unrevoked, unexpired token
    /// gets ('Exposed' or 'Active'). Statuses are stored by name.</summary>
    public static string Sql(string revoked, string expires, string at, string exposedStatus) =>
        $"CASE WHEN {revoked} IS NOT NULL AND {revoked} <= {at} THEN '{nameof(TokenStatus.Revoked)}' " +
        $"WHEN {expires} IS NOT NULL AND {expires} <= {at} THEN '{nameof(TokenStatus.Expired)}' ELSE {exposedStatus} END";
}
