namespace GovernanceDashboard.Domain.Rules;

/// <summary>docs/metrics.md owner coverage, the one definition: an active token (see <see cref="TokenStatusRule.IsActive"/>)
/// whose confirmed owner is an active person is owned; one whose confirmed owner has left is orphaned; a token without a
/// confirmed owner is neither. A revoked or expired token whose owner left needs nobody, so it is not orphaned.</summary>
public static class OrphanedRule
{
    public static bool IsOwned(bool hasOwner, bool ownerActive, TokenStatus status) =>
        hasOwner && ownerActive && TokenStatusRule.IsActive(status);

    public static bool IsOrphaned(bool hasOwner, bool ownerActive, TokenStatus status) =>
        hasOwner && !ownerActive && TokenStatusRule.IsActive(status);
}
