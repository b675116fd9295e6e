using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>Several dashboard instances on one PostgreSQL store: real processes (the built program), one shared key folder.</summary>
public class TwoInstancesTests
{
    private const string Elected = "This instance runs the background workflows";
    private const string RevocationsHere = "RevocationWorker runs in this instance";

    [Fact]
    public async Task An_import_through_one_is_in_the_others_metrics_and_grid_a_raced_decision_has_one_winner_and_one_instance_runs_the_workflows()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using (var host = await store.StartHostAsync())
        {
            await using var db = store.Db();
            db.People.Add(new Person { Email = "analyst@example.com", DisplayName = "Analyst", Roles = Roles.Analyst | Roles.Auditor });
            db.People.Add(new Person { Email = "owner@example.com", DisplayName = "Owner" });
            db.People.Add(new Person { Email = "approver@example.com", DisplayName = "Approver", Roles = Roles.Approver });
            await db.SaveChangesAsync();
        }
        var key = (await RunAsync(store, "apikey", "create", "--person", "analyst@example.com", "--name", "ci")).Trim();
        var ownerKey = (await RunAsync(store, "apikey", "create", "--person", "owner@example.com", "--name", "owner")).Trim();
        var approverKey = (await RunAsync(store, "apikey", "create", "--person", "approver@example.com", "--name", "approver")).Trim();

        await using var first = await Instance.StartAsync(store);
        await using var second = await Instance.StartAsync(store);
        using var a = first.Client(key);
        using var b = second.Client(key);
        var emptyMetrics = await b.GetFromJsonAsync<JsonElement>("/api/metrics");
        Assert.Equal(0, emptyMetrics.GetProperty("tokens").GetProperty("total").GetInt32());

        var file = ImporterTestFiles.Sample("trufflehog.jsonl");
        using var upload = await a.PostAsync("/api/imports?fileName=trufflehog.jsonl&scannedAt=2026-11-20T08:00:00Z",
            new StreamContent(File.OpenRead(file)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var tokensNew = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tokensNew").GetInt32();
        Assert.True(tokensNew > 0);

        // The other instance's first read after the import's commit sees it: every read checks the shared change log.
        var metrics = await b.GetFromJsonAsync<JsonElement>("/api/metrics");
        Assert.Equal(tokensNew, metrics.GetProperty("tokens").GetProperty("total").GetInt32());
        var grid = await b.GetFromJsonAsync<JsonElement>("/api/tokens?pageSize=100");
        Assert.Equal(tokensNew, grid.GetProperty("total").GetInt32());

        // A write-scope request decided by the same approver through both instances at once: one decision, one 409.
        var tokenId = grid.GetProperty("items")[0].GetProperty("id").GetInt32();
        await using (var db = store.Db())
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE \"Tokens\" SET \"OwnerId\" = (SELECT \"Id\" FROM \"People\" WHERE \"Email\" = 'owner@example.com'), \"OwnerSource\" = 'Manual' WHERE \"Id\" = {0}",
                tokenId);
        using var owner = first.Client(ownerKey);
        using var asked = await owner.PostAsJsonAsync("/api/write-scope-requests", new { tokenId, justification = "release uploads", days = 30, kind = "Request" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var request = await asked.Content.ReadFromJsonAsync<JsonElement>();
        var decision = new { approve = true, comment = "ok", version = request.GetProperty("version").GetGuid() };
        var path = $"/api/write-scope-requests/{request.GetProperty("id").GetInt32()}/decision";
        using var approverA = first.Client(approverKey);
        using var approverB = second.Client(approverKey);
        var raced = await Task.WhenAll(approverA.PostAsJsonAsync(path, decision), approverB.PostAsJsonAsync(path, decision));
        var outcomes = string.Join(" | ", await Task.WhenAll(raced.Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}")));
        Assert.True(raced.Select(r => r.StatusCode).Order().SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]), outcomes);
        foreach (var r in raced) r.Dispose();

        // Workflow rounds every second: exactly one instance takes the lead, the other keeps skipping them.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!first.Logged(Elected) && !second.Logged(Elected)) await Task.Delay(200, timeout.Token);
        var leader = first.Logged(Elected) ? first : second;
        var other = leader == first ? second : first;
        // Several rounds later the other still has not taken it (it tries at each round).
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        Assert.False(other.Logged(Elected));
        // The workers follow the lead: revocations are sent from the leader only.
        Assert.True(leader.Logged(RevocationsHere));
        Assert.False(other.Logged(RevocationsHere));

        // The leader goes away: the other takes over at its next round.
        await leader.DisposeAsync();
        while (!other.Logged(Elected)) await Task.Delay(200, timeout.Token);
        while (!other.Logged(RevocationsHere)) await Task.Delay(200, timeout.Token);
    }

    [Fact]
    public async Task The_revocation_worker_runs_in_the_instance_holding_the_lead_only_and_moves_with_it()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-20T08:00:00Z", CultureInfo.InvariantCulture));
        var hostA = await store.StartHostAsync(clock);
        await using var hostB = (IAsyncDisposable)await store.StartHostAsync(clock);
        var a = ActivatorUtilities.CreateInstance<LedHostedService<RevocationWorker>>(hostA.Services,
            ActivatorUtilities.CreateInstance<RevocationWorker>(hostA.Services));
        using var b = ActivatorUtilities.CreateInstance<LedHostedService<RevocationWorker>>(((IHost)hostB).Services,
            ActivatorUtilities.CreateInstance<RevocationWorker>(((IHost)hostB).Services));

        Assert.True(await a.CheckAsync());
        Assert.False(await b.CheckAsync());
        // Round after round, the lead stays where it is.
        Assert.True(await a.CheckAsync());
        Assert.False(await b.CheckAsync());
        Assert.True(a.Running);
        Assert.False(b.Running);

        // Instance A goes away (its lock connection closes with it): B takes the worker over at its next check.
        await a.StopAsync(CancellationToken.None);
        a.Dispose();
        await ((IAsyncDisposable)hostA).DisposeAsync();
        Assert.True(await b.CheckAsync());
        Assert.True(b.Running);
        await b.StopAsync(CancellationToken.None);
        Assert.False(b.Running);

        // SQLite: the one process always runs it.
        await using var sqlite = await ProviderStore.CreateAsync(StoreProvider.Sqlite);
        await using var sqliteHost = (IAsyncDisposable)await sqlite.StartHostAsync(clock);
        using var single = ActivatorUtilities.CreateInstance<LedHostedService<RevocationWorker>>(((IHost)sqliteHost).Services,
            ActivatorUtilities.CreateInstance<RevocationWorker>(((IHost)sqliteHost).Services));
        Assert.True(await single.CheckAsync());
        await single.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_workflow_lead_is_held_by_one_instance_at_a_time_and_passes_on_when_released()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using var host = await store.StartHostAsync();
        var factory = host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        var one = new WorkflowLeader(factory, NullLogger<WorkflowLeader>.Instance);
        await using var two = new WorkflowLeader(factory, NullLogger<WorkflowLeader>.Instance);
        Assert.True(await one.IsLeaderAsync());
        Assert.False(await two.IsLeaderAsync());
        Assert.True(await one.IsLeaderAsync());
        await one.DisposeAsync();
        Assert.True(await two.IsLeaderAsync());

        await using var sqlite = await ProviderStore.CreateAsync(StoreProvider.Sqlite);
        using var sqliteHost = await sqlite.StartHostAsync();
        Assert.True(await sqliteHost.Services.GetRequiredService<WorkflowLeader>().IsLeaderAsync());
    }

    private static ProcessStartInfo StartInfo(ProviderStore store, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = store.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(CliRunner.ProgramPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in store.Settings) psi.ArgumentList.Add($"--{k}={v}");
        psi.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        return psi;
    }

    private static async Task<string> RunAsync(ProviderStore store, params string[] args)
    {
        using var process = Process.Start(StartInfo(store, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.True(process.ExitCode == 0, await stderr);
        return await stdout;
    }

    private sealed class Instance : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();
        private bool _disposed;

        private Instance(Process process, string baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string BaseUrl { get; }

        public bool Logged(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

        public HttpClient Client(string apiKey)
        {
            var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            return client;
        }

        public static async Task<Instance> StartAsync(ProviderStore store)
        {
            var port = FreePort();
            var instance = new Instance(Process.Start(StartInfo(store, $"--urls=http://127.0.0.1:{port}", "--Facts:RefreshSeconds=1",
                "--Workflows:IntervalSeconds=1", "--Workflows:MailIntervalSeconds=1"))!, $"http://127.0.0.1:{port}");
            using var client = new HttpClient { BaseAddress = new Uri(instance.BaseUrl) };
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            // Waiting for the server to listen is the start condition of the test, not a timing.
            while (true)
            {
                if (instance._process.HasExited)
                    throw new InvalidOperationException($"The dashboard exited with {instance._process.ExitCode}: {string.Join('\n', instance._lines)}");
                try
                {
                    if ((await client.GetAsync("/healthz", timeout.Token)).StatusCode == HttpStatusCode.OK) return instance;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200, timeout.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed) return;
            _disposed = true;
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
