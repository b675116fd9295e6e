using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>The Content-Security-Policy (no 'unsafe-eval', a nonce for inline scripts) lets Blazor Server, MudBlazor and
/// Plotly run in Chromium, and the layout's sign-out form carries its antiforgery token.</summary>
public class ContentSecurityPolicyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Under_the_policy_the_overview_draws_its_charts_the_circuit_runs_and_nothing_is_refused()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        // Chromium reports every refusal on the console ("Refused to ... because it violates the following Content Security Policy").
        var refusals = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refusals.Enqueue(message.Text);
        };
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))");

        var response = await page.GotoAsync("/login");
        Assert.DoesNotContain("unsafe-eval", await response!.HeaderValueAsync("content-security-policy") ?? "missing", StringComparison.Ordinal);
        await page.FillAsync("[data-testid=person-select]", "sec.analyst@acme.example");
        await page.ClickAsync("[data-testid=sign-in]");
        await BrowserApp.WaitForCircuitAsync(page);

        // Plotly draws both Overview charts into SVG (its script and styles ran).
        await page.Locator("#exposure-trend-chart .main-svg").First.WaitForAsync();
        Assert.True(await page.Locator("#exposure-trend-chart .bars path").CountAsync() > 0, "the chart drew no bars");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2");
        // MudBlazor's script runs: the live circuit re-renders on a click (dark mode changes the background).
        var before = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync("b => getComputedStyle(document.body).backgroundColor !== b", before);

        // Another interactive page with charts, reached through the live circuit.
        await page.GetByRole(AriaRole.Link, new() { Name = "Exposures", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/exposures");
        await page.Locator("[data-testid=open-exposures]").WaitForAsync();

        Assert.True(refusals.IsEmpty, "refused by the Content-Security-Policy:\n" + string.Join("\n", refusals));

        // The layout's sign-out form posts its antiforgery token: the person is signed out, not refused.
        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync("**/login");
        Assert.Equal(200, (await page.GotoAsync("/login"))!.Status);
        await page.GotoAsync("/tokens");
        await page.WaitForURLAsync("**/login?**");
        await context.CloseAsync();
    }
}
