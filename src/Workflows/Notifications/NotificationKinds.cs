namespace GovernanceDashboard.Workflows.Notifications;

/// <summary>The kinds of message the outbox carries.</summary>
public static class NotificationKinds
{
    public const string ExposureOpened = "exposure.opened";
    public const string RequestPending = "writescope.pending";
    public const string RequestDecided = "writescope.decided";
    public const string RequestEscalated = "writescope.escalated";
    public const string GrantExpiring = "grant.expiring";
    public const string GrantExpired = "grant.expired";
    public const string AttestationOpened = "attestation.opened";
    public const string AttestationReminder = "attestation.reminder";
    public const string AttestationEscalated = "attestation.escalated";
    public const string TransferOffered = "transfer.offered";
    public const string TransferDecided = "transfer.decided";
    public const string OwnerAssigned = "owner.assigned";
    public const string RevocationRequested = "revocation.requested";
    public const string SlaBreached = "exposure.sla.breached";
    public const string RiskAcceptanceExpired = "exposure.risk.expired";
    public const string RevocationSent = "revocation.sent";
    public const string ReportMailed = "report.scheduled";
}
