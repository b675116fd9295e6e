namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>What asking to revoke one exposure came to.</summary>
public enum RevokeOutcome
{
    /// <summary>Queued now; the worker sends it.</summary>
    Queued,

    /// <summary>The token already has a request waiting or accepted: it is sent once.</summary>
    AlreadyRequested,

    /// <summary>The exposure is already remediated or dismissed (HTTP 409).</summary>
    Closed,

    /// <summary>No escrowed value, or a kind the platform's API does not take: the manual path (HTTP 422).</summary>
    NotRevocable,
    NotFound,
    Forbidden,
}

/// <summary>The answer for one exposure id; <see cref="ManualUrl"/> is the platform's token settings page when the manual path applies.</summary>
public sealed record RevokeResult(int ExposureId, RevokeOutcome Outcome, long? RequestId, string? Message, string? ManualUrl = null)
{
    public bool IsQueued => Outcome is RevokeOutcome.Queued or RevokeOutcome.AlreadyRequested;
}

/// <summary>An exposure's remediation through the platform as lists show it: none, queued, requested (accepted by the platform) or failed;
/// for an alert GitHub pushed, when its webhook arrived (<see cref="AlertReceivedAt"/>).</summary>
public sealed record RemediationStatus(int ExposureId, string State, string? LastError, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt,
    DateTimeOffset? AlertReceivedAt = null)
{
    /// <summary>From GitHub's webhook to the revocation request, for a pushed alert revoked by the automatic policy.</summary>
    public TimeSpan? WebhookToRequest => AlertReceivedAt is { } received && SentAt is { } sent ? sent - received : null;

    public static string StateOf(RevocationState state) => state switch
    {
        RevocationState.Sent => "requested",
        RevocationState.Failed => "failed",
        RevocationState.Cancelled => "none",
        _ => "queued",
    };
}
