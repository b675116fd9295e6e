using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace GovernanceDashboard.BrowserTests;

/// <summary>Hugging Face's and GitHub's revocation endpoints on 127.0.0.1, answering 202 as the platforms do, counting the credentials received.</summary>
public sealed class PlatformStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlatformStub(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The request paths received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<PlatformStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new PlatformStub(app);
        app.MapPost("/api/credentials/revoke", (HttpContext http) => { stub.Requests.Enqueue(http.Request.Path); return Results.StatusCode(202); });
        app.MapPost("/credentials/revoke", (HttpContext http) => { stub.Requests.Enqueue(http.Request.Path); return Results.StatusCode(202); });
        await app.StartAsync();
        stub.BaseUrl = app.Urls.First().TrimEnd('/');
        return stub;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
