using System.Text.RegularExpressions;
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

        // Tokens: the inventory grid, paged on the server.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tokens", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/tokens$"));
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

    [Fact]
    public async Task An_analyst_uploads_a_scan_and_sees_its_summary_and_history()
    {
        var page = await app.SignedInPageAsync("sec.analyst@acme.example");
        await page.GotoAsync("/imports");
        await BrowserApp.WaitForCircuitAsync(page);

        var file = Path.Combine(Path.GetTempPath(), $"upload-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(file, string.Join('\n',
            TruffleHogLine("hf_UploadedFromTheBrowserAbCdEfGhIjKlMn", "upload.py", 3),
            "{\"DetectorName\": 42}",
            TruffleHogLine("ghp_UploadedFromTheBrowser0123456789abcd", "deploy.sh", 9)));
        try
        {
            await page.Locator("[data-testid=file-input]").SetInputFilesAsync(file);
            await Assertions.Expect(page.Locator("[data-testid=dropzone]")).ToContainTextAsync(Path.GetFileName(file));
            await page.ClickAsync("[data-testid=start-import]");

            var summary = page.Locator("[data-testid=import-summary]");
            await Assertions.Expect(summary).ToContainTextAsync("2 new token(s)");
            await Assertions.Expect(page.Locator("[data-testid=rejected-records]")).ToContainTextAsync("2");
            await Assertions.Expect(page.Locator("[data-testid=import-history]")).ToContainTextAsync(Path.GetFileName(file));
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("hf_UploadedFromTheBrowserAbCdEfGhIjKlMn");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string TruffleHogLine(string secret, string file, int line) =>
        "{\"SourceMetadata\":{\"Data\":{\"Github\":{\"repository\":\"https://github.com/acme/upload\",\"file\":\"" + file + "\",\"line\":" + line
        + "}}},\"DetectorName\":\"HuggingFace\",\"Verified\":false,\"Raw\":\"" + secret + "\"}";
}
