using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Cli;

/// <summary>Ctrl+C stops the real dashboard process promptly, even with a request in flight (an open page's circuit or an
/// upload would otherwise hold the host's shutdown for its default 30 s).</summary>
public class ShutdownTests
{
    [Fact]
    public async Task Ctrl_C_stops_the_dashboard_within_5_seconds_while_a_request_is_in_flight()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using var dashboard = await DashboardProcess.StartAsync(store);

        // A request whose body never finishes arriving: the server is in the middle of reading it when Ctrl+C comes.
        using var client = new TcpClient();
        var uri = new Uri(dashboard.BaseUrl);
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /auth/local HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=a"));
        await stream.FlushAsync();
        await Task.Delay(500);

        var process = dashboard.Interrupt();
        var stopwatch = Stopwatch.StartNew();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        stopwatch.Stop();

        // An upper bound of a behaviour the issue names ("within 5 s"), not a speed figure.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the dashboard took {stopwatch.Elapsed.TotalSeconds:0.0} s to stop");
    }
}
