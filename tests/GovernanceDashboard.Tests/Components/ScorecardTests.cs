using Bunit;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Components.Shared;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Settings;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GovernanceDashboard.Tests.Components;

public class ScorecardTests
{
    private static MetricsSnapshot Snapshot(double? coverage, double? write, double? justified, double? median) => new(
        DateTimeOffset.UnixEpoch,
        new TokenFigures(10, 10, new Dictionary<string, int>(), new Dictionary<string, int>()),
        new OwnerCoverage(0, 10, 0, coverage),
        new WriteScopeFigures(1, 0, 10, 1, write, justified),
        new ExposureFigures(0, 0, 0, 0, null, 0, new Dictionary<string, int>()),
        new TimeToRemediate(median is null ? 0 : 1, median, median, median, null),
        new AttestationFigures(0, 0, null, null));


    [Fact]
    public async Task Each_signal_is_judged_against_its_own_target()
    {
        await using var ctx = MudBunit.NewContext();
        // Coverage 100 % (met), write 5 % but only half justified (missed), median 30 h over a 24 h target (missed).
        var cards = ctx.Render<ScorecardCards>(p => p.Add(c => c.Metrics, Snapshot(1.0, 0.05, 0.5, 30)).Add(c => c.Settings, new GovernanceSettings()));
        Assert.Contains("Target met", cards.Find("[data-testid=signal-owner-coverage]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Target missed", cards.Find("[data-testid=signal-write-ratio]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Target missed", cards.Find("[data-testid=signal-ttr]").TextContent, StringComparison.Ordinal);
        Assert.Contains("30 h", cards.Find("[data-testid=signal-ttr]").TextContent, StringComparison.Ordinal);

        cards.Render(p => p.Add(c => c.Settings, new GovernanceSettings { TargetMedianTtrHours = 48, TargetJustifiedWrite = 0.5 }));
        Assert.Contains("Target met", cards.Find("[data-testid=signal-ttr]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Target met", cards.Find("[data-testid=signal-write-ratio]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signals_without_data_show_a_dash_and_no_verdict()
    {
        await using var ctx = MudBunit.NewContext();
        var cards = ctx.Render<ScorecardCards>(p => p.Add(c => c.Metrics, Snapshot(null, null, null, null)).Add(c => c.Settings, new GovernanceSettings()));
        Assert.DoesNotContain("Target met", cards.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Target missed", cards.Markup, StringComparison.Ordinal);
        Assert.Contains("—", cards.Find("[data-testid=signal-ttr]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Domain.ExposureState.Open, 30, 24, true)]
    [InlineData(Domain.ExposureState.Open, 20, 24, false)]
    [InlineData(Domain.ExposureState.Remediated, 30, 24, false)]
    public void An_open_exposure_older_than_its_SLA_is_breached(Domain.ExposureState state, double age, double sla, bool breached)
    {
        var row = new ExposureRow(1, 1, "m", Domain.TokenPlatform.GitHub, Domain.TokenKind.GitHubClassicPat, Domain.Severity.Critical, state,
            DateTimeOffset.UnixEpoch, null, null, null, age, sla, null);
        Assert.Equal(breached, row.Breached);
        Assert.Equal(sla - age, row.HoursLeft);
        Assert.Equal(state == Domain.ExposureState.Remediated ? age : null, row.TtrHours);
    }
}
