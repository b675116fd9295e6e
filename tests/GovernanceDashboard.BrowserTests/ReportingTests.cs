using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>The inventory, a token, the exposures and the report render with their charts; a CSV export downloads and parses.</summary>
public class ReportingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_auditor_filters_and_pages_tokens_opens_one_sees_exposure_charts_and_the_report_and_exports_CSV()
    {
        var page = await app.SignedInPageAsync("sec.auditor@acme.example");

        // Tokens: filter to orphaned tokens, then page through the whole inventory.
        await page.GotoAsync("/tokens");
        await BrowserApp.WaitForCircuitAsync(page);
        var rows = page.Locator("[data-testid=tokens-grid] tbody tr.mud-table-row");
        await rows.First.WaitForAsync();
        var firstPage = await rows.First.InnerTextAsync();
        await page.Locator(".mud-table-pagination-actions button").Nth(2).ClickAsync();
        await Assertions.Expect(rows.First).Not.ToHaveTextAsync(firstPage);
        await page.GotoAsync("/tokens?owner=orphaned");
        await BrowserApp.WaitForCircuitAsync(page);
        await rows.First.WaitForAsync();
        Assert.All(await rows.AllInnerTextsAsync(), text => Assert.Contains("orphaned", text, StringComparison.Ordinal));

        // A token's page: identity, owner, occurrences, exposure timeline.
        await page.Locator("[data-testid=token-link]").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tokens/[0-9]+$"));
        await Assertions.Expect(page.Locator("[data-testid=token-mask]")).ToContainTextAsync("…");
        await Assertions.Expect(page.Locator("[data-testid=token-owner]")).ToContainTextAsync("has left");
        Assert.True(await page.Locator("[data-testid=token-occurrences] tbody tr").CountAsync() >= 1);

        // Exposures: both charts drawn by plotly.js.
        await page.GotoAsync("/exposures");
        await BrowserApp.WaitForCircuitAsync(page);
        await page.Locator("#weekly-exposures-chart .main-svg").First.WaitForAsync();
        await page.Locator("#ttr-distribution-chart .main-svg").First.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=open-exposures]")).ToContainTextAsync("…");

        // The report, with its trend chart and lists.
        await page.GotoAsync("/reports");
        await BrowserApp.WaitForCircuitAsync(page);
        await page.Locator("#report-trend-chart .main-svg").First.WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=worst-teams]")).ToContainTextAsync("Research");
        await Assertions.Expect(page.Locator("[data-testid=unjustified-write]")).ToContainTextAsync("Write tokens without a grant");

        // CSV export of the write tokens without a grant: a real download that parses as CSV.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-unjustified]").ClickAsync());
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path!)).ToList();
        var header = lines[0].Split(',');
        Assert.Equal("mask", header[1]);
        Assert.True(lines.Count > 2, "the export should list tokens");
        var writeColumn = Array.IndexOf(header, "write");
        Assert.All(lines.Skip(1).Where(l => l.Length > 0), l => Assert.Equal("Write", l.Split(',')[writeColumn]));
    }

    [Fact]
    public async Task A_30_day_report_draws_30_days_and_a_past_month_draws_that_month()
    {
        var page = await app.SignedInPageAsync("sec.auditor@acme.example");

        await page.GotoAsync("/reports");
        await BrowserApp.WaitForCircuitAsync(page);
        var days = await TrendDaysAsync(page);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(30, days.Count);
        Assert.Equal(today.AddDays(-29), days[0]);
        Assert.Equal(today, days[^1]);
        await Assertions.Expect(page.Locator("[data-testid=team-order-rule]")).ToContainTextAsync("lowest owner coverage");
        await Assertions.Expect(page.Locator("[data-testid=attestation-progress]")).ToContainTextAsync("Attestation progress");
        await Assertions.Expect(page.Locator("[data-testid=unowned]")).ToContainTextAsync("Tokens with no owner");

        // A past month, by its address (as the mailed link opens it): the chart spans that month, no more.
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        await page.GotoAsync($"/reports?from={month:yyyy-MM-dd}&to={month.AddMonths(1).AddDays(-1):yyyy-MM-dd}");
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=report] h5")).ToContainTextAsync($"{month:yyyy-MM-dd} to");
        var monthDays = await TrendDaysAsync(page);
        Assert.Equal(month, monthDays[0]);
        Assert.Equal(month.AddMonths(1).AddDays(-1), monthDays[^1]);
        Assert.Equal(month.AddMonths(1).DayNumber - month.DayNumber, monthDays.Count);

        // The definitions the report links to are the repository's docs/metrics.md.
        await page.Locator("[data-testid=definitions-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/definitions$"));
        await Assertions.Expect(page.Locator("[data-testid=definitions] h1")).ToHaveTextAsync("Metric definitions");
    }

    /// <summary>The distinct days on the trend chart's x axis, as plotly.js holds them.</summary>
    private static async Task<List<DateOnly>> TrendDaysAsync(IPage page)
    {
        await page.Locator("#report-trend-chart .main-svg").First.WaitForAsync();
        var x = await page.EvaluateAsync<string[]>("() => document.getElementById('report-trend-chart').data.flatMap(t => t.x)");
        return x.Select(d => DateOnly.ParseExact(d[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
    }
}
