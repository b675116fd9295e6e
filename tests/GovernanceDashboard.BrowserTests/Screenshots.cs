using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>Refreshes the README's screenshot, or takes every main page at 1280 × 800 and 1440 × 900 in light and dark for a
/// reviewer, on the demo organisation: a command, never a test, so that running the tests leaves the working tree clean.
/// <c>dotnet run --project tests/GovernanceDashboard.BrowserTests -- screenshots</c> writes wwwroot/docs/overview.png;
/// <c>... -- screenshots --all --out DIR</c> writes the pages into DIR.</summary>
public static class Screenshots
{
    private static readonly (string Name, string Path, string Person)[] Pages =
    [
        ("overview", "/", "sec.lead@acme.example"),
        ("tokens", "/tokens", "sec.analyst@acme.example"),
        ("reports", "/reports", "sec.auditor@acme.example"),
        ("reports-last-month", "/reports?from=2026-11-01&to=2026-11-30", "sec.auditor@acme.example"),
        ("definitions", "/definitions", "sec.auditor@acme.example"),
        ("settings", "/settings", "sec.lead@acme.example"),
        ("ownership-rules", "/ownership-rules", "sec.lead@acme.example"),
        ("notifications", "/notifications", "sec.lead@acme.example"),
        ("not-found", "/no/such/page", "sec.lead@acme.example"),
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "screenshots")
        {
            await Console.Error.WriteLineAsync("usage: screenshots [--all] [--out DIR]   (the tests run with `dotnet test`)");
            return 2;
        }
        var all = args.Contains("--all");
        var outIndex = Array.IndexOf(args, "--out");
        var target = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine(RepositoryRoot(), "wwwroot", "docs");
        Directory.CreateDirectory(target);

        // Outside `dotnet test` the app's content root is not found by the test host's manifest: name it.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_GOVERNANCEDASHBOARD", RepositoryRoot());
        var app = new BrowserApp();
        await app.InitializeAsync();
        try
        {
            if (!all)
            {
                var page = await app.SignedInPageAsync("sec.lead@acme.example");
                await page.SetViewportSizeAsync(1440, 900);
                await ShootAsync(page, "/", Path.Combine(target, "overview.png"), dark: false);
                Console.WriteLine(Path.Combine(target, "overview.png"));
                return 0;
            }
            foreach (var (name, path, person) in Pages)
                foreach (var (width, height) in new[] { (1280, 800), (1440, 900) })
                    foreach (var dark in new[] { false, true })
                    {
                        var page = await app.SignedInPageAsync(person);
                        await page.SetViewportSizeAsync(width, height);
                        var file = Path.Combine(target, $"{name}-{width}x{height}-{(dark ? "dark" : "light")}.png");
                        await ShootAsync(page, path, file, dark);
                        await page.Context.CloseAsync();
                        Console.WriteLine(file);
                    }
            return 0;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task ShootAsync(IPage page, string path, string file, bool dark)
    {
        await page.GotoAsync(path);
        var interactive = page.Locator("#gd-page[data-interactive=true]");
        // Pages without a live circuit (not-found) are shot as served.
        try { await interactive.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 10_000 }); }
        catch (TimeoutException) { }
        if (dark && await interactive.CountAsync() > 0) await page.ClickAsync("[data-testid=theme-toggle]");
        // Charts draw after the circuit renders them.
        await page.WaitForTimeoutAsync(1500);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GovernanceDashboard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run it from the repository (GovernanceDashboard.sln not found).");
    }
}
