namespace GovernanceDashboard.Workflows.Ownership;

/// <summary>How the token went away, as its owner records it.</summary>
public enum RevocationKind { Revoked, Rotated }

/// <summary>Recording a revocation or rotation by a person is a remediation (docs/metrics.md "Time to remediate"): the earliest
/// evidence dates it, and no exposure is remediated before it was detected.</summary>
public static class RevocationRules
{
    /// <summary>Clock skew tolerated between the person's clock and the server's.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static string? Validate(DateTimeOffset at, DateTimeOffset now) =>
        at > now + FutureTolerance ? "The revocation time is in the future." :
        at < new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) ? "The revocation time is not plausible." : null;

    /// <summary>The token's revocation note: who recorded it says how much it is worth (the owner did it; an analyst was told).</summary>
    public static string NoteFor(RevocationKind kind, bool byOwner = true) =>
        (kind == RevocationKind.Rotated ? "rotated" : "revoked") + (byOwner ? " by its owner" : ", recorded by an analyst");

    /// <summary>Applies the recorded time to the token and its exposures; returns the ids of the exposures it remediated or moved earlier.</summary>
    public static IReadOnlyList<int> Apply(Token token, IEnumerable<Exposure> exposures, DateTimeOffset at, string note, string by)
    {
        if (token.RevokedAt is null || at < token.RevokedAt)
        {
            token.RevokedAt = at;
            token.RevocationNote = note;
        }
        token.RevocationRequestedAt = null;
        token.Status = TokenStatus.Revoked;

        var changed = new List<int>();
        foreach (var exposure in exposures)
        {
            var when = at > exposure.DetectedAt ? at : exposure.DetectedAt;
            if (exposure.State == ExposureState.Open)
            {
                exposure.State = ExposureState.Remediated;
                exposure.RemediatedAt = when;
                exposure.RemediatedBy = by;
                exposure.Escrow = null;
                changed.Add(exposure.Id);
            }
            else if (exposure.State == ExposureState.Remediated && exposure.RemediatedAt is { } current && when < current)
            {
                // Earlier evidence of revocation moves the remediation earlier, never later.
                exposure.RemediatedAt = when;
                changed.Add(exposure.Id);
            }
        }
        return changed;
    }
}
