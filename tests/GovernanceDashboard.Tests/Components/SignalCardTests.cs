using Bunit;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GovernanceDashboard.Tests.Components;

public class SignalCardTests
{

    [Fact]
    public async Task A_missed_target_says_so()
    {
        await using var ctx = MudBunit.NewContext();
        var card = ctx.Render<SignalCard>(p => p
            .Add(c => c.Title, "Every token has a named owner")
            .Add(c => c.Value, "82 %")
            .Add(c => c.Met, false));
        Assert.Contains("Target missed", card.Markup, StringComparison.Ordinal);
        Assert.Contains("82 %", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_figure_means_no_verdict()
    {
        await using var ctx = MudBunit.NewContext();
        var card = ctx.Render<SignalCard>(p => p.Add(c => c.Title, "t").Add(c => c.Value, "—").Add(c => c.Met, (bool?)null));
        Assert.DoesNotContain("Target", card.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "—")]
    [InlineData(0.125, "12.5 %")]
    [InlineData(1.0, "100 %")]
    public void Ratios_show_as_percent_and_null_as_a_dash(double? ratio, string expected) =>
        Assert.Equal(expected, Format.Percent(ratio));
}
