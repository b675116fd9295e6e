namespace GovernanceDashboard.Domain;

/// <summary>An incident: the occurrences of one token while it is open, with its clock (docs/metrics.md TTR).</summary>
public class Exposure
{
    public int Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }

    public DateTimeOffset DetectedAt { get; set; }
    public Severity Severity { get; set; }
    public Verification VerificationAtDetection { get; set; }
    public ExposureState State { get; set; }

    public DateTimeOffset? RemediatedAt { get; set; }
    public string? RemediatedBy { get; set; }
    public DateTimeOffset? DismissedAt { get; set; }
    public string? DismissalReason { get; set; }

    /// <summary>For a risk accepted until a date: the exposure reopens by itself at this instant.</summary>
    public DateTimeOffset? DismissedUntil { get; set; }

    /// <summary>When the owner, their manager and the analysts were told this exposure passed its SLA (told once per open period).</summary>
    public DateTimeOffset? SlaBreachNotifiedAt { get; set; }

    /// <summary>Data Protection ciphertext of the secret, kept only while open so "Revoke now" can call the platform; erased on close.</summary>
    public string? Escrow { get; set; }

    public DateTimeOffset? ClosedAt => State switch
    {
        ExposureState.Remediated => RemediatedAt,
        ExposureState.Dismissed => DismissedAt,
        _ => null,
    };

    public bool IsOpenAt(DateTimeOffset asOf) =>
        Rules.ExposureOpenRule.IsOpenAt(DetectedAt, RemediatedAt ?? DateTimeOffset.MaxValue, DismissedAt ?? DateTimeOffset.MaxValue, asOf);
}
