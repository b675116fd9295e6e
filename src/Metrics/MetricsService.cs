namespace GovernanceDashboard.Metrics;

/// <summary>The one implementation of docs/metrics.md, as of any instant; every page, the CLI, the API and reports use it.</summary>
/// <remarks>The figures are one pass over the in-memory facts (<see cref="GovernanceFacts"/>, kept current from the
/// store's change log), tallied per team, so the organisation's figures and every team's come from the same pass and
/// the same formulas (the per-team view and "worst teams"). See <see cref="MetricsPass"/>.</remarks>
public sealed class MetricsService(GovernanceFacts facts, IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="asOf">the instant the figures are computed as of (default: now)</param>
    /// <param name="ttrFrom">start of the time-to-remediate window (default: all time)</param>
    /// <param name="team">only tokens whose owner is in this team (the per-team view); null for everyone</param>
    public async Task<MetricsSnapshot> ComputeAsync(DateTimeOffset? asOf = null, DateTimeOffset? ttrFrom = null, string? team = null, CancellationToken ct = default)
    {
        var result = await TallyAsync(asOf, ttrFrom, teams: team is not null, ct);
        return team is null ? result.Organisation : result.Teams.GetValueOrDefault(team) ?? result.Empty;
    }

    /// <summary>The figures of one person's own tokens and their exposures (an owner's scorecard), by the same pass.</summary>
    public async Task<MetricsSnapshot> ComputeForOwnerAsync(int personId, DateTimeOffset? asOf = null, CancellationToken ct = default) =>
        (await TallyAsync(asOf, null, teams: false, ct, owner: personId)).Organisation;

    /// <summary>The organisation's figures and each team's (tokens without an owner, or whose owner has no team, count
    /// for the organisation only).</summary>
    public Task<TeamMetrics> ComputeByTeamAsync(DateTimeOffset? asOf = null, DateTimeOffset? ttrFrom = null, CancellationToken ct = default) =>
        TallyAsync(asOf, ttrFrom, teams: true, ct);

    private async Task<TeamMetrics> TallyAsync(DateTimeOffset? asOf, DateTimeOffset? ttrFrom, bool teams, CancellationToken ct, int? owner = null)
    {
        var at = asOf ?? clock.GetUtcNow();
        GovernanceSettings settings;
        await using (var db = await dbFactory.CreateDbContextAsync(ct)) settings = await GovernanceSettings.LoadAsync(db, ct);
        return await facts.ReadAsync(f => MetricsPass.Run(f, at, ttrFrom, settings, teams, owner), ct);
    }
}

/// <summary>The organisation's figures, each team's, and the figures of an empty scope (a team with nothing).</summary>
public sealed record TeamMetrics(MetricsSnapshot Organisation, IReadOnlyDictionary<string, MetricsSnapshot> Teams, MetricsSnapshot Empty);
