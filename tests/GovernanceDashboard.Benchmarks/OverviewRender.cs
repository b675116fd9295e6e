using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace GovernanceDashboard.Benchmarks;

/// <summary>The Overview's first interactive render on the large store, in a real browser: the dashboard runs as its own
/// process (as `dotnet run` starts it), Debian's Chromium loads "/" and the clock stops when the live circuit has
/// rendered the three signals and Plotly has drawn the trend chart.</summary>
internal static class OverviewRender
{
    public static async Task<IReadOnlyList<double>> MeasureAsync(string directory, string database, int runs = 5)
    {
        var port = FreePort();
        using var app = StartApp(directory, database, port);
        try
        {
            return await MeasureAsync(app, $"http://127.0.0.1:{port}", runs);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
        }
    }

    private static async Task<IReadOnlyList<double>> MeasureAsync(Process app, string baseUrl, int runs)
    {
        await WaitForHealthAsync(baseUrl, app);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync("/login");
        await page.FillAsync("[data-testid=person-select]", MetricsBenchmark.AdminEmail);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            await page.GotoAsync("about:blank");
            var watch = Stopwatch.StartNew();
            await page.GotoAsync("/");
            var loaded = watch.Elapsed.TotalMilliseconds;
            await page.Locator("#gd-page[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            var interactive = watch.Elapsed.TotalMilliseconds;
            await page.Locator("[data-testid=signal-owner-coverage]").WaitForAsync();
            var figures = watch.Elapsed.TotalMilliseconds;
            await page.Locator("#signal-trend-chart .main-svg").First.WaitForAsync();
            await page.Locator("#exposure-trend-chart .main-svg").First.WaitForAsync();
            Console.WriteLine($"  loaded {loaded:F0}  interactive {interactive:F0}  figures {figures:F0}  charts {watch.Elapsed.TotalMilliseconds:F0}");
            // The first load warms the browser's cache of scripts and styles, as any visit after the first finds it.
            if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        app.Refresh();
        Console.WriteLine($"dashboard process: {app.WorkingSet64 / (1024.0 * 1024.0):F0} MB resident after the Overview runs");
        return times;
    }

    private static Process StartApp(string directory, string database, int port)
    {
        var dll = Path.Combine(RepositoryRoot(), "bin", "Release", "net10.0", "GovernanceDashboard.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build the dashboard first: dotnet build -c Release", dll);
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Governance"] = $"Data Source={database}";
        start.Environment["Secrets__KeyDirectory"] = Path.Combine(directory, "keys");
        start.Environment["Demo__SeedWhenEmpty"] = "false";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForHealthAsync(string baseUrl, Process app)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        for (var i = 0; i < 600; i++)
        {
            if (app.HasExited) throw new InvalidOperationException($"The dashboard exited with {app.ExitCode}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The dashboard did not become healthy in 5 minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovernanceDashboard.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GovernanceDashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
