using System.Linq.Expressions;

namespace GovernanceDashboard.Domain.Rules;

/// <summary>When a write-scope grant is in force (covers its token), the one definition: approved at or before the instant,
/// expiring after it, and not withdrawn by then. Used by <see cref="WriteScopeGrant.CoversAt"/>, the in-memory facts and, as
/// <see cref="InForce"/>, the queries that ask it of the store.</summary>
/// <remarks>Generic over the instant type (see <see cref="TokenStatusRule"/>); "not withdrawn" is the type's maximum.</remarks>
public static class GrantInForceRule
{
    public static bool InForceAt<T>(T approved, T expires, T withdrawn, T at) where T : struct, IComparable<T> =>
        approved.CompareTo(at) <= 0 && expires.CompareTo(at) > 0 && withdrawn.CompareTo(at) > 0;

    /// <summary>The same rule as a query predicate the database evaluates (My tokens' grant, attestation tasks' "has a grant").</summary>
    public static Expression<Func<WriteScopeGrant, bool>> InForce(DateTimeOffset at) =>
        g => g.ApprovedAt <= at && g.ExpiresAt > at && (g.WithdrawnAt == null || g.WithdrawnAt > at);
}
