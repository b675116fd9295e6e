using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovernanceDashboard.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Benchmarks;

/// <summary><c>webhooks [--deliveries 100]</c>: the whole dashboard on a real Kestrel port, connected as a GitHub App to a GitHub stub on
/// 127.0.0.1 (which also answers Hugging Face's revocation API), both platforms under the automatic revocation policy. Each signed <c>secret_scanning_alert.created</c> delivery is sent
/// once the previous one's revocation arrived; prints the median (and spread) of the seconds from sending the delivery to the
/// revocation request reaching the stub. Goal: median ≤ 2 s.</summary>
public static class WebhookBenchmark
{
    private const double GoalSeconds = 2;
    private const string WebhookSecret = "benchmark-webhook-secret";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args is ["--deliveries", var n] ? int.Parse(n, Invariant) : 100;
        return await ScratchFolder.RunAsync("webhooks", root => RunAsync(count, root));
    }

    /// <summary>Odd alerts a GitHub classic PAT, even ones a Hugging Face token (GitHub's secret scanning finds both): GitHub's revocation
    /// API takes 60 calls an hour, and one delivery at a time makes one call each.</summary>
    private static string Secret(int n) => n % 2 == 1
        ? string.Create(Invariant, $"ghp_Hook{n:D8}AbCdEfGhIjKlMnOpQrStUvWx")
        : string.Create(Invariant, $"hf_Hook{n:D8}AbCdEfGhIjKlMnOpQrStUvWx");

    private static async Task<int> RunAsync(int count, string root)
    {
        // The GitHub stub: installation tokens, single alerts (with the secret), credential revocations (arrival times kept).
        var arrivals = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var stubBuilder = WebApplication.CreateSlimBuilder();
        stubBuilder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        stubBuilder.Logging.ClearProviders();
        await using var stub = stubBuilder.Build();
        stub.MapPost("/app/installations/{id}/access_tokens", () => Results.Json(new { token = "ghs_benchmarkInstallationToken", expires_at = DateTimeOffset.UtcNow.AddHours(1) }, statusCode: 201));
        stub.MapGet("/repos/{owner}/{repo}/secret-scanning/alerts/{number:int}", (string owner, string repo, int number) => Results.Json(Alert(owner, repo, number)));
        async Task<IResult> RevokeAsync(HttpContext http)
        {
            var now = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            foreach (var credential in body.RootElement.GetProperty("credentials").EnumerateArray()) arrivals.TryAdd(credential.GetString()!, now);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }
        stub.MapPost("/credentials/revoke", (Delegate)RevokeAsync);
        stub.MapPost("/api/credentials/revoke", (Delegate)RevokeAsync);
        await stub.StartAsync();
        var stubUrl = stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var keys = Path.Combine(root, "keys");
        Directory.CreateDirectory(keys);
        using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(Path.Combine(keys, "github-app.pem"), rsa.ExportRSAPrivateKeyPem());

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = Composition.HostArguments([]), ContentRootPath = root, EnvironmentName = "Production",
            // The product's name: its static assets manifest (beside this program) is found by it.
            ApplicationName = "GovernanceDashboard",
        });
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Governance"] = $"Data Source={Path.Combine(root, "governance.db")}",
            ["Secrets:KeyDirectory"] = keys,
            ["GitHub:ApiBaseUrl"] = stubUrl,
            ["HuggingFace:BaseUrl"] = stubUrl,
            ["GitHub:App:Id"] = "1",
            ["GitHub:App:InstallationId"] = "2",
            ["GitHub:WebhookSecret"] = WebhookSecret,
            ["Sync:IntervalMinutes"] = "0",
            ["History:Enabled"] = "false",
            ["Remediation:AutoRevoke:GitHub"] = "Critical,High,Medium,Low",
            ["Remediation:AutoRevoke:HuggingFace"] = "Critical,High,Medium,Low",
        });
        builder.Logging.ClearProviders();
        builder.AddGovernanceDashboard();
        await using var app = builder.Build();
        await app.UseGovernanceDashboardAsync();
        await app.StartAsync();
        var appUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(appUrl) };

        var seconds = new List<double>(count);
        var misses = 0;
        for (var i = 1; i <= count; i++)
        {
            using var request = Delivery(i);
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"delivery {i}: HTTP {(int)response.StatusCode}");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            long arrived;
            while (!arrivals.TryGetValue(Secret(i), out arrived) && DateTime.UtcNow < deadline) await Task.Delay(2);
            if (arrived == 0)
            {
                misses++;
                continue;
            }
            seconds.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalSeconds);
        }

        // What the dashboard itself recorded (webhook arrival → revocation request), as the Exposures list shows it.
        var factory = app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var recorded = (await db.RevocationRequests.AsNoTracking().Where(r => r.AlertReceivedAt != null && r.SentAt != null)
            .Select(r => new { r.AlertReceivedAt, r.SentAt }).ToListAsync())
            .Select(r => (r.SentAt!.Value - r.AlertReceivedAt!.Value).TotalSeconds).ToList();
        await app.StopAsync();

        seconds.Sort();
        recorded.Sort();
        Console.WriteLine($"Webhook → revocation benchmark: .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"deliveries: {count}, revoked: {seconds.Count}, not revoked within 30 s: {misses}");
        if (seconds.Count > 0)
        {
            Console.WriteLine($"delivery sent → revocation request at the stub: median {Percentile(seconds, 0.5):F3} s, p90 {Percentile(seconds, 0.9):F3} s, max {seconds[^1]:F3} s");
            if (recorded.Count > 0) Console.WriteLine($"as the dashboard recorded it (webhook arrival → revocation request): median {Percentile(recorded, 0.5):F3} s over {recorded.Count}");
            Console.WriteLine($"goal: median ≤ {GoalSeconds} s: {(misses == 0 && Percentile(seconds, 0.5) <= GoalSeconds ? "MET" : "MISSED")}");
        }
        return 0;
    }

    private static object Alert(string owner, string repo, int number) => new
    {
        number,
        created_at = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant),
        updated_at = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant),
        html_url = $"https://github.com/{owner}/{repo}/security/secret-scanning/{number}",
        state = "open",
        secret_type = number % 2 == 1 ? "github_personal_access_token" : "hf_user_access_token",
        secret = Secret(number),
        validity = "active",
        publicly_leaked = false,
        repository = new { full_name = $"{owner}/{repo}", @private = true, html_url = $"https://github.com/{owner}/{repo}" },
        first_location_detected = new { path = "app/settings.py", start_line = 3, start_column = 1, commit_sha = new string('b', 40) },
    };

    private static HttpRequestMessage Delivery(int number)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            action = "created",
            alert = new { number, secret_type = "github_personal_access_token", state = "open" },
            repository = new { full_name = "acme/app", @private = true },
        }));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "secret_scanning_alert");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), body)));
        return request;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
