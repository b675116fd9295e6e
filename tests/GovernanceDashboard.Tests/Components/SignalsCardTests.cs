using Bunit;
using GovernanceDashboard.Components.Pages.Overview;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Reporting;
using GovernanceDashboard.Settings;
using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Components;

/// <summary>The Overview's and the report's side-by-side signals: all tokens | leaked.</summary>
public class SignalsCardTests
{
    private static MetricsSnapshot Snapshot(int total, PopulationFigures leaked) => new(
        DateTimeOffset.UnixEpoch,
        new TokenFigures(total, 9, new Dictionary<string, int>(), new Dictionary<string, int>()),
        new OwnerCoverage(6, 9, 2, 6.0 / 9),
        new WriteScopeFigures(5, 1, 9, 2, 5.0 / 9, 0.4),
        new ExposureFigures(3, 2, 1, 0, 24, 1, new Dictionary<string, int>()),
        new TimeToRemediate(1, 10, 10, 10, 1),
        new AttestationFigures(0, 0, null, null)) { Leaked = leaked };

    private static readonly PopulationFigures Leaked = new(5, 4, new OwnerCoverage(3, 4, 1, 0.75), new WriteScopeFigures(2, 1, 4, 1, 0.5, 0.5));

    private static (string All, string Leaked) Row(IRenderedComponent<SignalsCard> card, string id)
    {
        var row = card.Find($"[data-testid=signals-{id}]");
        return (row.QuerySelector("[data-column=all]")!.TextContent, row.QuerySelector("[data-column=leaked]")!.TextContent);
    }

    [Fact]
    public async Task Each_signal_shows_all_tokens_beside_the_leaked_part()
    {
        await using var ctx = MudBunit.NewContext();
        var card = ctx.Render<SignalsCard>(p => p.Add(c => c.Metrics, Snapshot(10, Leaked)));

        Assert.Equal(("66.7 % (6 of 9)", "75 % (3 of 4)"), Row(card, "owner-coverage"));
        Assert.Equal(("2", "1"), Row(card, "orphaned"));
        Assert.Equal(("55.6 % (5 of 9)", "50 % (2 of 4)"), Row(card, "write-ratio"));
        Assert.Equal(("3", "1"), Row(card, "unjustified-write"));
        Assert.Equal(("10 h", "10 h"), Row(card, "median-ttr"));
        Assert.Equal(("1", "1"), Row(card, "breached"));
        Assert.Contains("5 never found leaked", card.Find("[data-testid=signals-caption]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_synced_tokens_the_caption_says_the_columns_are_equal()
    {
        await using var ctx = MudBunit.NewContext();
        var same = new PopulationFigures(10, 9, new OwnerCoverage(6, 9, 2, 6.0 / 9), new WriteScopeFigures(5, 1, 9, 2, 5.0 / 9, 0.4));
        var card = ctx.Render<SignalsCard>(p => p.Add(c => c.Metrics, Snapshot(10, same)));

        Assert.Equal(Row(card, "owner-coverage").All, Row(card, "owner-coverage").Leaked);
        Assert.Contains("the two columns are equal", card.Find("[data-testid=signals-caption]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_mail_lists_both_columns()
    {
        var report = new ManagementReport(new ReportPeriod(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            Snapshot(10, Leaked), Snapshot(10, Leaked), [], [], new AttestationProgress(null, null, null, 0, 0, null),
            new([], 0), new([], 0), new([], 0), new([], 0));
        var body = ReportMailer.Body(report, new GovernanceSettings());
        Assert.Contains("Owner coverage: all tokens 66.7 % (6 of 9), leaked 75 % (3 of 4).", body, StringComparison.Ordinal);
    }
}
