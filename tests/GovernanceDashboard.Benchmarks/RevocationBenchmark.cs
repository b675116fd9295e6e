using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Benchmarks;

/// <summary><c>revocations [--exposures 10000]</c>: an import that opens that many exposures (half Hugging Face, half GitHub) under an
/// automatic policy covering every severity, with the dashboard's revocation worker running in the same process as a dashboard
/// would; prints the seconds from the import's return (just after its commit) until the last revocation request reaches a stub
/// platform on 127.0.0.1. Goal ≤ 5 s; GitHub's 60 calls an hour take 60,000 tokens, so 10,000 fit in one hour's budget.</summary>
public static class RevocationBenchmark
{
    private const double GoalSeconds = 5;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args is ["--exposures", var n] ? int.Parse(n, Invariant) : 10_000;
        return await ScratchFolder.RunAsync("revocations", root => RunAsync(count, root));
    }

    private static async Task<int> RunAsync(int count, string root)
    {
        // The stub: counts credentials per platform and keeps the time the last request arrived.
        var received = 0;
        long lastArrival = 0;
        var calls = 0;
        var stubBuilder = WebApplication.CreateSlimBuilder();
        stubBuilder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        stubBuilder.Logging.ClearProviders();
        await using var stub = stubBuilder.Build();
        stub.Run(async http =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            Interlocked.Add(ref received, body.RootElement.GetProperty("credentials").GetArrayLength());
            Interlocked.Increment(ref calls);
            Interlocked.Exchange(ref lastArrival, Stopwatch.GetTimestamp());
            http.Response.StatusCode = StatusCodes.Status202Accepted;
        });
        await stub.StartAsync();
        var stubUrl = stub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var file = Path.Combine(root, "scan.jsonl");
        await using (var writer = new StreamWriter(file))
        {
            for (var i = 0; i < count; i++)
            {
                var secret = i % 2 == 0 ? $"hf_Bench{i:D10}AbCdEfGhIjKlMnOpQrSt" : $"ghp_Bench{i:D10}AbCdEfGhIjKlMnOpQr";
                await writer.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    SourceMetadata = new { Data = new { Git = new { repository = "https://github.com/acme/app", commit = $"{i:x40}", file = "app.py", line = i + 1 } } },
                    SourceType = 16, SourceName = "trufflehog - git", DetectorName = i % 2 == 0 ? "HuggingFace" : "Github", Verified = true, Raw = secret,
                }));
            }
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Composition.HostArguments([]), ContentRootPath = root, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Governance"] = $"Data Source={Path.Combine(root, "governance.db")}",
            ["Secrets:KeyDirectory"] = Path.Combine(root, "keys"),
            ["HuggingFace:BaseUrl"] = stubUrl,
            ["GitHub:ApiBaseUrl"] = stubUrl,
            ["Remediation:AutoRevoke:HuggingFace"] = "Critical,High,Medium,Low",
            ["Remediation:AutoRevoke:GitHub"] = "Critical,High,Medium,Low",
        });
        builder.Logging.ClearProviders();
        builder.AddGovernanceCore();
        // The dashboard's worker, as the dashboard runs it.
        builder.AddRemediationWorkers();
        using var host = builder.Build();
        await host.Services.MigrateGovernanceStoreAsync();
        await host.StartAsync();

        var importClock = Stopwatch.StartNew();
        var summary = await host.Services.GetRequiredService<ImportService>().ImportFileAsync(file, new ImportRequest("scan.jsonl", null, null, "benchmark"));
        var committed = Stopwatch.GetTimestamp();
        var importSeconds = importClock.Elapsed.TotalSeconds;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (Volatile.Read(ref received) < summary.ExposuresOpened && DateTime.UtcNow < deadline) await Task.Delay(10);
        var seconds = Stopwatch.GetElapsedTime(committed, Interlocked.Read(ref lastArrival)).TotalSeconds;
        await host.StopAsync();

        Console.WriteLine($"Automatic revocation benchmark: .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        Console.WriteLine($"import: {summary.ExposuresOpened:N0} exposures opened in {importSeconds:F1} s (queued inside its transaction)");
        Console.WriteLine($"stub received {received:N0} credentials in {calls} calls (≤ {Platforms.GitHubClient.MaxCredentialsPerRequest:N0} a call)");
        Console.WriteLine($"commit → last revocation request at the stub: {seconds:F2} s");
        Console.WriteLine($"goal: ≤ {GoalSeconds} s: {(received >= summary.ExposuresOpened && seconds <= GoalSeconds ? "MET" : "MISSED")}");
        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
