namespace GovernanceDashboard.Reporting;

/// <summary>A report's period: whole UTC days from <see cref="From"/> to <see cref="To"/>, both included.</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The period's first instant (00:00 UTC of its first day).</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The instant after the period (00:00 UTC of the day after its last day).</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public int Days => To.DayNumber - From.DayNumber + 1;

    public string Text => $"{Day(From)} to {Day(To)}";

    /// <summary>The period in order, whichever way round the days were picked.</summary>
    public static ReportPeriod Of(DateOnly a, DateOnly b) => a <= b ? new(a, b) : new(b, a);

    /// <summary>The last <paramref name="days"/> days, today included.</summary>
    public static ReportPeriod LastDays(DateTimeOffset now, int days)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new(today.AddDays(1 - days), today);
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A list as the report shows it: its first rows and how many there are in all.</summary>
public sealed record ReportList<T>(IReadOnlyList<T> Items, int Total)
{
    public int More => Total - Items.Count;
}

/// <summary>The current attestation campaign at the period's end and how far it got.</summary>
public sealed record AttestationProgress(int? CampaignId, string? Name, DateTimeOffset? Deadline, int Due, int Attested, double? Ratio);

/// <summary>Everything the management report shows, for one period: figures as of its end (time to remediate over
/// exposures remediated within it), the daily trend across it, teams weakest first, and the lists behind the figures.</summary>
public sealed record ManagementReport(
    ReportPeriod Period,
    DateTimeOffset AsOf,
    DateTimeOffset GeneratedAt,
    MetricsSnapshot Figures,
    MetricsSnapshot AtStart,
    IReadOnlyList<MetricSnapshot> Trend,
    IReadOnlyList<(string Team, MetricsSnapshot Metrics)> Teams,
    AttestationProgress Attestation,
    ReportList<TokenRow> Unowned,
    ReportList<TokenRow> Orphaned,
    ReportList<TokenRow> UnjustifiedWrite,
    ReportList<ExposureRow> OpenExposures,
    ReportList<TokenRow>? MostDangerous = null)
{
    /// <summary>The lists are the inventory as it stands: when the period ended before today they are not as of its end.</summary>
    public bool ListsAreCurrent(DateTimeOffset now) => Period.End >= now;

    /// <summary>Teams with exposures past their SLA at the period's end, most first.</summary>
    public IEnumerable<(string Team, MetricsSnapshot Metrics)> BreachesByTeam =>
        Teams.Where(t => t.Metrics.Exposures.Breached > 0).OrderByDescending(t => t.Metrics.Exposures.Breached).ThenBy(t => t.Team, StringComparer.Ordinal);

    /// <summary>Open exposures past SLA whose token has no owner in a team (no owner, or an owner without a team).</summary>
    public int BreachesWithoutTeam => Figures.Exposures.Breached - Teams.Sum(t => t.Metrics.Exposures.Breached);
}

/// <summary>Builds the management report for a period; the Reports page and the scheduled mail both show what it returns.</summary>
public sealed class ManagementReports(MetricsService metrics, TokenInventory inventory, ExposureList exposures,
    IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock, BlastRadiusService blastRadius)
{
    /// <summary>How many rows of each list the report shows (the CSV has them all).</summary>
    public const int ListRows = 10;

    /// <summary>The rule the team table follows, stated on the page and in the mail.</summary>
    public const string TeamOrderRule =
        "Weakest first: lowest owner coverage, then most exposures past SLA, then lowest share of write tokens with a grant; ties by name.";

    public async Task<ManagementReport> BuildAsync(ReportPeriod period, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        // Figures as of the end of the period, or now while it is still running.
        var asOf = period.End < now ? period.End : now;
        var byTeam = await metrics.ComputeByTeamAsync(asOf, period.Start, ct);
        var atStart = await metrics.ComputeAsync(period.Start, period.Start, ct: ct);
        var teams = WeakestFirst(byTeam.Teams).ToList();

        List<MetricSnapshot> trend;
        AttestationProgress attestation;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The daily history inside the period (a snapshot at 24:00 closes its day), then the figures as of its end
            // when no stored snapshot holds them (the running day).
            trend = await db.MetricSnapshots.AsNoTracking()
                .Where(s => s.Team == "" && s.AsOf > period.Start && s.AsOf <= asOf).OrderBy(s => s.AsOf).ToListAsync(ct);
            // The stored days' time to remediate is over all time: the running day's point is computed the same way, so the
            // line does not jump at its end (the cards above give the period's own figure).
            if (trend.Count == 0 || trend[^1].AsOf < asOf) trend.Add(HistoryService.From(await metrics.ComputeAsync(asOf, ct: ct), ""));
            var a = byTeam.Organisation.Attestation;
            var campaign = a.CampaignId is { } id
                ? await db.AttestationCampaigns.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Name, c.Deadline }).FirstOrDefaultAsync(ct)
                : null;
            attestation = new AttestationProgress(a.CampaignId, campaign?.Name, campaign?.Deadline, a.Due, a.Attested, a.CompletionRatio);
        }

        return new ManagementReport(period, asOf, now, byTeam.Organisation, atStart, trend, teams, attestation,
            await UnownedAsync(ct),
            await TokensAsync(new TokenFilter { Owner = "orphaned" }, ct),
            await TokensAsync(new TokenFilter { UnjustifiedWrite = true }, ct),
            await OpenExposuresAsync(ct),
            await MostDangerousAsync(ct));
    }

    /// <summary>Teams in the order of <see cref="TeamOrderRule"/>.</summary>
    public static IEnumerable<(string Team, MetricsSnapshot Metrics)> WeakestFirst(IReadOnlyDictionary<string, MetricsSnapshot> teams) =>
        teams.Select(t => (Team: t.Key, Metrics: t.Value))
            .OrderBy(t => t.Metrics.OwnerCoverage.Ratio ?? 1)
            .ThenByDescending(t => t.Metrics.Exposures.Breached)
            .ThenBy(t => t.Metrics.WriteScope.JustifiedRatio ?? 1)
            .ThenBy(t => t.Team, StringComparer.Ordinal);

    // Active tokens only, oldest first: the ones that waited longest. One page of ListRows: the count comes with it.
    private async Task<ReportList<TokenRow>> TokensAsync(TokenFilter filter, CancellationToken ct)
    {
        var page = await inventory.ListAsync(filter, 1, ListRows, TokenSort.FirstSeenAsc, ct);
        return new ReportList<TokenRow>(page.Items, page.Total);
    }

    // Unowned active tokens: the exposed ones first (a leak nobody answers for), then the rest.
    private async Task<ReportList<TokenRow>> UnownedAsync(CancellationToken ct)
    {
        var exposed = await TokensAsync(new TokenFilter { Owner = "none", Status = TokenStatus.Exposed }, ct);
        var active = await TokensAsync(new TokenFilter { Owner = "none", Status = TokenStatus.Active }, ct);
        return new ReportList<TokenRow>([.. exposed.Items.Concat(active.Items).Take(ListRows)], exposed.Total + active.Total);
    }

    // Open exposures' tokens by blast radius, the grid's own sort (docs/metrics.md "Blast radius").
    private async Task<ReportList<TokenRow>> MostDangerousAsync(CancellationToken ct)
    {
        var page = await blastRadius.MostDangerousOpenAsync(ListRows, ct);
        return new ReportList<TokenRow>(page.Items, page.Total);
    }

    private async Task<ReportList<ExposureRow>> OpenExposuresAsync(CancellationToken ct)
    {
        // Breached first, then by time left to SLA: the exposures list's own order, one page.
        var page = await exposures.ListAsync(new ExposureFilter { State = ExposureState.Open }, 1, ListRows, ct);
        return new ReportList<ExposureRow>(page.Items, page.Total);
    }
}
