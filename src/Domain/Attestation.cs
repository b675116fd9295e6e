namespace GovernanceDashboard.Domain;

public enum CampaignScope { AllActive, WriteCapableOnly }

public enum AttestationAnswer { None, Keep, ReduceScope, Revoke }

/// <summary>A periodic review in which each owner attests that each token is still needed.</summary>
public class AttestationCampaign
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public CampaignScope Scope { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset Deadline { get; set; }
    public required string OpenedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<AttestationTask> Tasks { get; set; } = [];
}

/// <summary>One token to attest in a campaign; no owner means the triage queue.</summary>
public class AttestationTask
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public AttestationCampaign? Campaign { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }
    public int? OwnerId { get; set; }
    public AttestationAnswer Answer { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public int? AnsweredById { get; set; }
    public DateTimeOffset? RemindedAt { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
}
