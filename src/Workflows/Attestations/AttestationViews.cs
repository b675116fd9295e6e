namespace GovernanceDashboard.Workflows.Attestations;

/// <summary>Progress of one campaign; <see cref="CompletionRatio"/> is docs/metrics.md's attested / due.</summary>
public sealed record CampaignProgress(int Due, int Attested, int Answered, int AnsweredLate, int Triage, int Keep, int ReduceScope, int Revoke)
{
    public double? CompletionRatio => Metrics.Statistics.Ratio(Attested, Due);
    public int Open => Due - Answered;
}

public sealed record CampaignView(int Id, string Name, CampaignScope Scope, DateTimeOffset OpenedAt, DateTimeOffset Deadline, string OpenedBy,
    DateTimeOffset? ClosedAt, CampaignProgress Progress)
{
    public bool IsOpen => ClosedAt is null;
}

/// <summary>One token to attest, as its owner (or the triage queue) sees it: masks only.</summary>
public sealed record AttestationTaskView(int Id, int CampaignId, int TokenId, string TokenMask, TokenPlatform Platform, WriteCapability WriteCapability,
    string? Organizations, string? Scopes, string? Owner, AttestationAnswer Answer, string? Comment, DateTimeOffset? AnsweredAt, string? AnsweredBy,
    DateTimeOffset? RemindedAt, DateTimeOffset? EscalatedAt, bool Justified);
