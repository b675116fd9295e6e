using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The built dashboard as a real child process on a real Kestrel port, on a test store: for tests that kill it.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DashboardProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the dashboard and waits until <c>/healthz</c> answers (the store is migrated and the spool cleared by then).</summary>
    public static async Task<DashboardProcess> StartAsync(TestStore store)
    {
        var port = FreePort();
        var psi = CliRunner.StartInfo(store, $"--urls=http://127.0.0.1:{port}");
        var process = Process.Start(psi)!;
        // Drain the pipes so the child never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new DashboardProcess(process, $"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri(dashboard.BaseUrl) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Waiting for a server to listen is not timing anything: it is the start condition of the test.
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The dashboard exited with {process.ExitCode} before it listened.");
            try
            {
                if ((await client.GetAsync("/healthz", timeout.Token)).StatusCode == HttpStatusCode.OK) return dashboard;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200, timeout.Token);
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in the terminal does, and returns the process to wait for.</summary>
    public Process Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        return _process;
    }

    /// <summary>Kills the process as a crash or an operator's kill -9 would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
