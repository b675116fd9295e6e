using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Components;

/// <summary>The lists the Overview's and Teams' figures link to hold exactly the figure's count (demo organisation, real store).</summary>
public class FigureListsTests(DemoServices demo) : IClassFixture<DemoServices>
{
    private T Service<T>() where T : notnull => demo.Host.Services.GetRequiredService<T>();

    [Fact]
    public async Task Each_signal_figure_has_a_token_or_exposure_list_of_the_same_count()
    {
        var m = await Service<MetricsService>().ComputeAsync();
        var tokens = Service<TokenInventory>();
        var exposures = Service<ExposureList>();
        async Task<int> Tokens(TokenFilter f) => (await tokens.ListAsync(f, 1, 1)).Total;

        var noOwner = m.OwnerCoverage.Active - m.OwnerCoverage.Owned - m.OwnerCoverage.Orphaned;
        Assert.True(noOwner > 0);
        Assert.Equal(noOwner, await Tokens(new TokenFilter { Owner = "none", Live = true }));
        Assert.True(noOwner < await Tokens(new TokenFilter { Owner = "none" }), "revoked tokens without an owner are not in the figure");
        Assert.Equal(m.OwnerCoverage.Active, await Tokens(new TokenFilter { Live = true }));
        Assert.Equal(m.OwnerCoverage.Orphaned, await Tokens(new TokenFilter { Owner = "orphaned" }));
        Assert.Equal(m.WriteScope.WriteCapable, await Tokens(new TokenFilter { Write = WriteCapability.Write, Live = true }));
        Assert.Equal(m.WriteScope.WriteCapable - m.WriteScope.Justified, await Tokens(new TokenFilter { UnjustifiedWrite = true }));
        Assert.Equal(m.Exposures.Open, (await exposures.ListAsync(new ExposureFilter { State = ExposureState.Open }, 1, 1)).Total);
        Assert.True(m.Exposures.Breached > 0);
        Assert.Equal(m.Exposures.Breached, (await exposures.ListAsync(new ExposureFilter { State = ExposureState.Open, Breached = true }, 1, 1)).Total);
    }

    [Fact]
    public async Task A_teams_figures_lead_to_its_own_lists()
    {
        var byTeam = await Service<MetricsService>().ComputeByTeamAsync();
        var (team, m) = byTeam.Teams.OrderByDescending(t => t.Value.Exposures.Breached).First();
        var exposures = Service<ExposureList>();
        Assert.Equal(m.Tokens.Active, (await Service<TokenInventory>().ListAsync(new TokenFilter { Team = team, Live = true }, 1, 1)).Total);
        Assert.Equal(m.Exposures.Open, (await exposures.ListAsync(new ExposureFilter { State = ExposureState.Open, Team = team }, 1, 1)).Total);
        Assert.Equal(m.Exposures.Breached, (await exposures.ListAsync(new ExposureFilter { State = ExposureState.Open, Team = team, Breached = true }, 1, 1)).Total);
    }

    [Fact]
    public async Task The_exposure_charts_count_what_the_page_filters_select()
    {
        await using var db = await Service<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        var settings = await GovernanceSettings.LoadAsync(db);
        var rows = await db.Exposures.AsNoTracking()
            .Select(e => new { e.Severity, e.State, e.DetectedAt, e.RemediatedAt, Team = e.Token!.Owner != null ? e.Token.Owner.Team : null }).ToListAsync();
        var team = rows.Where(r => r.Team is not null).GroupBy(r => r.Team!).OrderByDescending(g => g.Count()).First().Key;
        var now = DateTimeOffset.UtcNow;
        var filter = new ExposureFilter { Team = team, Severity = Severity.High };
        var trends = Service<TrendQueries>();

        var weeks = await trends.ExposuresByWeekAsync(52, now, ExposureScope.Of(filter, settings, now));
        var months = await trends.TimeToRemediateByMonthAsync(12, now, ExposureScope.Of(filter, settings, now));

        var from = new DateTimeOffset(weeks[0].WeekStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var mine = rows.Where(r => r.Team == team && r.Severity == Severity.High).ToList();
        Assert.Equal(mine.Count(r => r.DetectedAt >= from && r.DetectedAt <= now), weeks.Sum(w => w.Opened));
        var firstMonth = new DateTimeOffset(months[0].Month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(mine.Count(r => r.State == ExposureState.Remediated && r.RemediatedAt >= firstMonth && r.RemediatedAt <= now), months.Sum(m => m.Count));
        var all = await trends.ExposuresByWeekAsync(52, now);
        Assert.True(all.Sum(w => w.Opened) > weeks.Sum(w => w.Opened));
    }
}
