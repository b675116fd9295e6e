using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>A person signs in and walks the dashboard in a real browser.</summary>
public class DashboardTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_analyst_signs_in_sees_the_overview_chart_browses_tokens_and_switches_to_dark_mode()
    {
        var page = await app.SignedInPageAsync("sec.analyst@acme.example");

        // Overview: the three signals and the Plotly chart, drawn by plotly.js into SVG.
        await Assertions.Expect(page.Locator("[data-testid=signal-owner-coverage]")).ToContainTextAsync("%");
        await Assertions.Expect(page.Locator("[data-testid=signal-ttr]")).ToContainTextAsync("27 days");
        await page.Locator("#exposure-trend-chart .main-svg").First.WaitForAsync();
        Assert.True(await page.Locator("#exposure-trend-chart .bars path").CountAsync() > 0, "the chart drew no bars");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-person]")).ToContainTextAsync("Alex Analyst");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("overview.png"), FullPage = false });

        // Tokens: the inventory grid, paged on the server.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tokens" }).ClickAsync();
        await page.WaitForURLAsync("**/tokens");
        var rows = page.Locator("[data-testid=tokens-grid] tbody tr.mud-table-row");
        await rows.First.WaitForAsync();
        Assert.Equal(25, await rows.CountAsync());
        await Assertions.Expect(rows.First).ToContainTextAsync("…");

        // Dark mode changes the page's background.
        var before = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync("b => getComputedStyle(document.body).backgroundColor !== b", before);
        var after = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.NotEqual(before, after);
    }

    /// <summary>The README's screenshot lives in the repository; the test refreshes it.</summary>
    private static string ScreenshotPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovernanceDashboard.sln"))) dir = dir.Parent;
        var target = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "wwwroot", "docs");
        Directory.CreateDirectory(target);
        return Path.Combine(target, name);
    }
}
