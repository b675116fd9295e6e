namespace GovernanceDashboard.Metrics;

/// <summary>Daily snapshots of the headline figures, so trends are real and cheap: one row per day (24:00 UTC) for the
/// organisation, and one per team at each month's end. Missing days are backfilled from existing data on first use.</summary>
public sealed class HistoryService(IDbContextFactory<GovernanceDbContext> dbFactory, MetricsService metrics, TimeProvider clock, ILogger<HistoryService> log) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The organisation's figures for each of the last <paramref name="days"/> days that have a snapshot.</summary>
    public async Task<IReadOnlyList<MetricSnapshot>> OrganisationAsync(int days = 366, string team = "", CancellationToken ct = default)
    {
        var from = clock.GetUtcNow().AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MetricSnapshots.AsNoTracking().Where(s => s.Team == team && s.AsOf >= from).OrderBy(s => s.AsOf).ToListAsync(ct);
    }

    /// <summary>Writes the snapshots that are missing up to the end of yesterday, at most a year back from the first token.</summary>
    public async Task<int> BackfillAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var first = await db.Tokens.MinAsync(t => (DateTimeOffset?)t.FirstSeenAt, ct);
            if (first is null) return 0;
            var today = clock.GetUtcNow().UtcDateTime.Date;
            var start = Max(first.Value.UtcDateTime.Date, today.AddDays(-366));
            var have = (await db.MetricSnapshots.Where(s => s.Team == "").Select(s => s.AsOf).ToListAsync(ct)).ToHashSet();
            var teams = await db.People.Where(p => p.Team != null && p.Team != "").Select(p => p.Team!).Distinct().ToListAsync(ct);
            var haveTeams = (await db.MetricSnapshots.Where(s => s.Team != "").Select(s => new { s.Team, s.AsOf }).ToListAsync(ct))
                .Select(s => (s.Team, s.AsOf)).ToHashSet();

            var written = 0;
            for (var day = start; day < today; day = day.AddDays(1))
            {
                var asOf = new DateTimeOffset(day.AddDays(1), TimeSpan.Zero);
                if (!have.Contains(asOf))
                {
                    db.MetricSnapshots.Add(From(await metrics.ComputeAsync(asOf, ct: ct), ""));
                    written++;
                }
                // Teams at each month's end: enough for their trends, a fraction of the work.
                if (asOf.Day == 1)
                    foreach (var team in teams.Where(t => !haveTeams.Contains((t, asOf))))
                    {
                        db.MetricSnapshots.Add(From(await metrics.ComputeAsync(asOf, team: team, ct: ct), team));
                        written++;
                    }
                if (written > 0 && written % 50 == 0) await db.SaveChangesAsync(ct);
            }
            await db.SaveChangesAsync(ct);
            if (written > 0) log.LogInformation("Metric history: {Written} daily snapshots written", written);
            return written;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static MetricSnapshot From(MetricsSnapshot m, string team) => new()
    {
        AsOf = m.AsOf, Team = team,
        ActiveTokens = m.Tokens.Active, Owned = m.OwnerCoverage.Owned, Orphaned = m.OwnerCoverage.Orphaned,
        WriteCapable = m.WriteScope.WriteCapable, WriteUnknown = m.WriteScope.Unknown, Justified = m.WriteScope.Justified,
        OwnerCoverage = m.OwnerCoverage.Ratio, WriteRatio = m.WriteScope.Ratio, JustifiedRatio = m.WriteScope.JustifiedRatio,
        OpenExposures = m.Exposures.Open, Breached = m.Exposures.Breached, Remediated = m.Exposures.Remediated,
        MedianTtrHours = m.TimeToRemediate.MedianHours, P90TtrHours = m.TimeToRemediate.P90Hours, WithinSlaRatio = m.TimeToRemediate.WithinSlaRatio,
    };

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    public void Dispose() => _gate.Dispose();
}

/// <summary>Keeps the history up to date: backfills on start, then once an hour adds the days that ended.</summary>
public sealed class HistoryRecorder(HistoryService history, IConfiguration configuration, ILogger<HistoryRecorder> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("History:Enabled", true)) return;
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await history.BackfillAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Metric history backfill failed; it is retried in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
