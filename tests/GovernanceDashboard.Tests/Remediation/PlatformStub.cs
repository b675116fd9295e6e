using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>One request the stub received, as it came over the wire.</summary>
public sealed record StubRequest(string Method, string Path, string? Authorization, string Body, DateTimeOffset ReceivedAt)
{
    /// <summary>The "credentials" array of a revocation body.</summary>
    public IReadOnlyList<string> Credentials()
    {
        using var json = JsonDocument.Parse(Body);
        return [.. json.RootElement.GetProperty("credentials").EnumerateArray().Select(e => e.GetString()!)];
    }
}

/// <summary>A real Kestrel server on 127.0.0.1 standing in for Hugging Face and GitHub: records every request and answers what the
/// test tells it to (status, headers, body, or a delay longer than the client's timeout).</summary>
public sealed class PlatformStub : IAsyncDisposable
{
    private RecordingServer _server = null!;

    /// <summary>The answer to the next requests: status, body and headers; default 202 with no body.</summary>
    public Func<StubRequest, StubAnswer> Answer { get; set; } = _ => new StubAnswer(202);

    private PlatformStub()
    {
    }

    public IReadOnlyList<StubRequest> Requests => _server.Requests;

    public string BaseUrl => _server.BaseUrl;

    public static async Task<PlatformStub> StartAsync()
    {
        var stub = new PlatformStub();
        stub._server = await RecordingServer.StartAsync(stub.AnswerAsync);
        return stub;
    }

    private async Task<StubAnswer?> AnswerAsync(HttpContext http, StubRequest request)
    {
        var answer = Answer(request);
        if (answer.Delay is { } delay) await Task.Delay(delay, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        return http.RequestAborted.IsCancellationRequested ? null : answer;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

public sealed record StubAnswer(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null);

/// <summary>A port that accepts connections and never answers: a platform that hangs.</summary>
public sealed class HangingPort : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly CancellationTokenSource _stop = new();

    public HangingPort()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections were opened to it.</summary>
    public int Connections { get { lock (_clients) return _clients.Count; } }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients) _clients.Add(client);
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients) foreach (var c in _clients) c.Dispose();
        _stop.Dispose();
    }
}
