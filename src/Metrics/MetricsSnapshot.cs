namespace GovernanceDashboard.Metrics;

/// <summary>The metrics object of docs/metrics.md; names and meanings are fixed.</summary>
public sealed record MetricsSnapshot(
    DateTimeOffset AsOf,
    TokenFigures Tokens,
    OwnerCoverage OwnerCoverage,
    WriteScopeFigures WriteScope,
    ExposureFigures Exposures,
    TimeToRemediate TimeToRemediate,
    AttestationFigures Attestation);

public sealed record TokenFigures(int Total, int Active, IReadOnlyDictionary<string, int> ByPlatform, IReadOnlyDictionary<string, int> ByStatus);

public sealed record OwnerCoverage(int Owned, int Active, int Orphaned, double? Ratio);

public sealed record WriteScopeFigures(int WriteCapable, int Unknown, int Active, int Justified, double? Ratio, double? JustifiedRatio);

public sealed record ExposureFigures(int Total, int Open, int Remediated, int Dismissed, double? OldestOpenAgeHours, int Breached,
    IReadOnlyDictionary<string, int> OpenBySeverity);

public sealed record TimeToRemediate(int Count, double? MeanHours, double? MedianHours, double? P90Hours, double? WithinSlaRatio);

public sealed record AttestationFigures(int Due, int Attested, double? CompletionRatio, int? CampaignId);
