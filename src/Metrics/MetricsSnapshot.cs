namespace GovernanceDashboard.Metrics;

/// <summary>The metrics object of docs/metrics.md; names and meanings are fixed.</summary>
public sealed record MetricsSnapshot(
    DateTimeOffset AsOf,
    TokenFigures Tokens,
    OwnerCoverage OwnerCoverage,
    WriteScopeFigures WriteScope,
    ExposureFigures Exposures,
    TimeToRemediate TimeToRemediate,
    AttestationFigures Attestation)
{
    /// <summary>Signals 1 and 2 over the leaked part alone (tokens with an occurrence or an exposure); the organisation's
    /// and an owner's figures carry it, a team's does not (null). Signal 3 needs no second copy: only leaked tokens have
    /// exposures.</summary>
    public PopulationFigures? Leaked { get; init; }
}

public sealed record TokenFigures(int Total, int Active, IReadOnlyDictionary<string, int> ByPlatform, IReadOnlyDictionary<string, int> ByStatus);

public sealed record OwnerCoverage(int Owned, int Active, int Orphaned, double? Ratio);

public sealed record WriteScopeFigures(int WriteCapable, int Unknown, int Active, int Justified, double? Ratio, double? JustifiedRatio);

public sealed record ExposureFigures(int Total, int Open, int Remediated, int Dismissed, double? OldestOpenAgeHours, int Breached,
    IReadOnlyDictionary<string, int> OpenBySeverity);

public sealed record TimeToRemediate(int Count, double? MeanHours, double? MedianHours, double? P90Hours, double? WithinSlaRatio);

public sealed record AttestationFigures(int Due, int Attested, double? CompletionRatio, int? CampaignId);

/// <summary>Signals 1 and 2 over one part of the token population (docs/metrics.md "Leaked tokens and the whole population").</summary>
public sealed record PopulationFigures(int Total, int Active, OwnerCoverage OwnerCoverage, WriteScopeFigures WriteScope);
