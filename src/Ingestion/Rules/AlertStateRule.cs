namespace GovernanceDashboard.Ingestion.Rules;

/// <summary>What a GitHub secret scanning alert's state does to its exposure and token (docs/imports.md).</summary>
/// <param name="Remediate">remediate the open exposure (and date the token's revocation) at <see cref="At"/>, by <see cref="By"/>.</param>
/// <param name="DismissAs">dismiss the open exposure at <see cref="At"/> with this reason (a person's resolution).</param>
/// <param name="RevokeTokenAt">the token is known revoked from this time on, whatever happens to the exposure.</param>
public sealed record AlertOutcome(bool Remediate, string? DismissAs, DateTimeOffset At, string? By, DateTimeOffset? RevokeTokenAt)
{
    public static readonly AlertOutcome None = new(false, null, default, null, null);
}

/// <summary>GitHub alert states, applied on every import of an alert.</summary>
/// <remarks>A person's resolution decides the exposure: resolved as <c>revoked</c> remediates it at <c>resolved_at</c>;
/// <c>false_positive</c>, <c>used_in_tests</c> and <c>wont_fix</c> dismiss it at <c>resolved_at</c> (out of time to
/// remediate). <c>validity: inactive</c> always makes the token Revoked from the scan time on, and alone (no such
/// resolution) remediates the exposure at the scan time, the earliest time it is known.</remarks>
public static class AlertStateRule
{
    public const string Scanner = GitHubAlertsParser.Scanner;
    public const string Resolved = "resolved";
    public const string RevokedResolution = "revoked";

    /// <summary>The resolutions by which a person says the alert needs no revocation.</summary>
    public static readonly IReadOnlySet<string> DismissingResolutions = new HashSet<string>(StringComparer.Ordinal) { "false_positive", "used_in_tests", "wont_fix" };

    public static AlertOutcome Decide(Finding f, DateTimeOffset scannedAt)
    {
        if (f.Scanner != Scanner || f.AlertNumber is null) return AlertOutcome.None;
        var resolved = f.AlertState == Resolved;
        var resolvedAt = f.AlertResolvedAt ?? scannedAt;
        if (resolved && f.AlertResolution == RevokedResolution)
            return new AlertOutcome(true, null, resolvedAt, "GitHub alert resolved as revoked", resolvedAt);
        if (resolved && f.AlertResolution is { } resolution && DismissingResolutions.Contains(resolution))
            return new AlertOutcome(false, resolution, resolvedAt, null, f.Verification == Verification.Inactive ? scannedAt : null);
        if (f.Verification == Verification.Inactive)
            return new AlertOutcome(true, null, scannedAt, "GitHub reported the token inactive", scannedAt);
        return AlertOutcome.None;
    }

    /// <summary>What the alert says about validity at detection: an alert already resolved as revoked says nothing.</summary>
    public static Verification VerificationAtDetection(Finding f) => f.AlertResolution == RevokedResolution ? Verification.Unknown : f.Verification;
}
