using GovernanceDashboard.Demo;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>The real app on a real Kestrel port with the demo organisation, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserApp : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gd-browser", Guid.NewGuid().ToString("N"));
    private Factory? _factory;
    private PlatformStub? _platforms;

    /// <summary>The platforms' revocation endpoints the app calls (a stub on 127.0.0.1).</summary>
    public PlatformStub Platforms => _platforms!;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app's services, for tests that pick their data from the demo organisation or read the metrics.</summary>
    public IServiceProvider Services => _factory!.Services;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // Addresses and texts are polled by Expect; Blazor's client-side navigations (history updates) are not always seen by
        // Playwright's navigation waits, and on a loaded 2-core machine a render can take longer than Expect's 5 s default.
        Assertions.SetDefaultExpectTimeout(20_000);
        Directory.CreateDirectory(_directory);
        _platforms = await PlatformStub.StartAsync();
        _factory = new Factory(_directory, _platforms.BaseUrl);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        await _factory.Services.GetRequiredService<DemoSeeder>().SeedAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        });
    }

    public async Task<IPage> SignedInPageAsync(string email)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/login");
        await page.FillAsync("[data-testid=person-select]", email);
        await page.ClickAsync("[data-testid=sign-in]");
        await WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>Waits until the live circuit renders the page (clicks before that are lost).</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("#gd-page[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (_platforms is not null) await _platforms.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private sealed class Factory(string directory, string platformsUrl) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Governance", $"Data Source={Path.Combine(directory, "governance.db")}");
            builder.UseSetting("Secrets:KeyDirectory", Path.Combine(directory, "keys"));
            builder.UseSetting("Demo:SeedWhenEmpty", "false");
            builder.UseSetting("HuggingFace:BaseUrl", platformsUrl);
            builder.UseSetting("GitHub:ApiBaseUrl", platformsUrl);
        }
    }
}
