using System.Collections.Concurrent;
using System.Net;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The half the platform stubs share: a real Kestrel server on 127.0.0.1 (a free port) that records every request as it
/// came over the wire and writes the answer the stub decides.</summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubRequest> _requests = new();

    private RecordingServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<StubRequest> Requests => [.. _requests];

    /// <summary>Starts the server; <paramref name="answer"/> decides the answer to each request once it is recorded (null: write
    /// none, as when the client has given up).</summary>
    public static async Task<RecordingServer> StartAsync(Func<HttpContext, StubRequest, Task<StubAnswer?>> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingServer(app);
        app.Run(http => server.HandleAsync(http, answer));
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    private async Task HandleAsync(HttpContext http, Func<HttpContext, StubRequest, Task<StubAnswer?>> answer)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new StubRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, http.Request.Headers.Authorization.FirstOrDefault(),
            body, DateTimeOffset.UtcNow);
        _requests.Enqueue(request);
        if (await answer(http, request) is not { } reply) return;
        http.Response.StatusCode = reply.Status;
        foreach (var header in reply.Headers ?? new Dictionary<string, string>()) http.Response.Headers[header.Key] = header.Value;
        if (reply.Body is { } text)
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
