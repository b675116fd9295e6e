using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubRequest> _requests = new();

    /// <summary>The answer to the next requests: status, body and headers; default 202 with no body.</summary>
    public Func<StubRequest, StubAnswer> Answer { get; set; } = _ => new StubAnswer(202);

    private PlatformStub(WebApplication app) => _app = app;

    public IReadOnlyList<StubRequest> Requests => [.. _requests];

    public string BaseUrl { get; private set; } = "";

    public static async Task<PlatformStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new PlatformStub(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return stub;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new StubRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, http.Request.Headers.Authorization.FirstOrDefault(),
            body, DateTimeOffset.UtcNow);
        _requests.Enqueue(request);
        var answer = Answer(request);
        if (answer.Delay is { } delay) await Task.Delay(delay, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        if (http.RequestAborted.IsCancellationRequested) return;
        http.Response.StatusCode = answer.Status;
        foreach (var header in answer.Headers ?? new Dictionary<string, string>()) http.Response.Headers[header.Key] = header.Value;
        if (answer.Body is { } text)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
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
