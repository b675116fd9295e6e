namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Wakes the revocation worker when something is queued in this process (an import, "Revoke now"); a command-line
/// import's work is found by the worker's polling.</summary>
public sealed class RevocationSignal : WakeSignal;
