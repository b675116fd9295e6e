using System.Text.Json;
using System.Text.Json.Nodes;
using GovernanceDashboard.Data;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Importers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>The same behaviour on both providers: migrations, change-log triggers for every declared table, imports
/// (idempotent re-import, one token per secret), facts kept current from another writer, and metrics identical field by
/// field for the same imported files.</summary>
public class ProviderParityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ScannedAt = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset[] Instants = [Now, new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), Now.AddDays(400)];
    private static readonly string[] Files = ["people.csv", "trufflehog.jsonl", "owners.csv", "github-alerts.json", "gitleaks.json"];

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task Migrations_apply_leave_no_model_changes_and_log_every_declared_table(StoreProvider provider)
    {
        await using var store = await ProviderStore.CreateAsync(provider);
        using var host = await store.StartHostAsync();
        await using var db = store.Db();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
        // The provider's own set: SQLite's ids on SQLite (existing stores stay current), PostgreSQL's on PostgreSQL.
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal(provider == StoreProvider.Sqlite, applied.Contains("20261128205906_ChangeLog"));
        Assert.Equal(provider == StoreProvider.Postgres, applied.Contains("20261202012455_ChangeLog"));
        // One insert, update and delete trigger per declared table, named from the one list.
        var triggers = provider == StoreProvider.Sqlite
            ? await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger'").ToListAsync()
            : await db.Database.SqlQueryRaw<string>("SELECT tgname AS \"Value\" FROM pg_trigger WHERE NOT tgisinternal").ToListAsync();
        var expected = ChangeLog.Tracked.SelectMany(t => new[] { $"{t.Table}_Inserted", $"{t.Table}_Updated", $"{t.Table}_Deleted" }).Order().ToList();
        Assert.Equal(expected, triggers.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task Imports_are_idempotent_and_facts_follow_a_change_made_by_another_writer(StoreProvider provider)
    {
        await using var store = await ProviderStore.CreateAsync(provider);
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now));
        var imports = host.Services.GetRequiredService<ImportService>();
        var facts = host.Services.GetRequiredService<GovernanceFacts>();
        var metrics = host.Services.GetRequiredService<MetricsService>();

        var first = await ImportAsync(imports, "trufflehog.jsonl");
        Assert.True(first.TokensNew > 0);
        var before = await metrics.ComputeAsync(Now);
        var again = await ImportAsync(imports, "trufflehog.jsonl");
        Assert.Equal(0, again.TokensNew);
        Assert.Equal(0, again.OccurrencesNew);
        await using (var db = store.Db())
            Assert.Equal(first.TokensNew, await db.Tokens.CountAsync());
        Assert.Equal(before.Tokens.Total, (await metrics.ComputeAsync(Now)).Tokens.Total);

        // Another writer (raw SQL on its own connection, as another instance or a CLI import would) revokes every token.
        await using (var other = store.Db())
            await other.Database.ExecuteSqlRawAsync("UPDATE \"Tokens\" SET \"RevokedAt\" = {0}, \"Status\" = 'Revoked'", Now.AddDays(-1).ToUnixTimeMilliseconds());
        var after = await metrics.ComputeAsync(Now);
        Assert.Equal(0, after.Tokens.Active);
        Assert.Equal(1, facts.FullLoads);
    }

    [Fact]
    public async Task The_metrics_object_for_the_same_files_is_identical_on_both_providers_field_by_field()
    {
        var figures = new Dictionary<StoreProvider, List<JsonNode>>();
        foreach (var provider in new[] { StoreProvider.Sqlite, StoreProvider.Postgres })
        {
            await using var store = await ProviderStore.CreateAsync(provider);
            using var host = await store.StartHostAsync(new FakeTimeProvider(Now));
            var imports = host.Services.GetRequiredService<ImportService>();
            foreach (var file in Files) await ImportAsync(imports, file);
            var metrics = host.Services.GetRequiredService<MetricsService>();
            var list = new List<JsonNode>();
            foreach (var at in Instants)
            {
                list.Add(JsonSerializer.SerializeToNode(await metrics.ComputeAsync(at, at.AddDays(-90)))!);
                list.Add(JsonSerializer.SerializeToNode(await metrics.ComputeByTeamAsync(at))!);
            }
            figures[provider] = list;
        }
        Assert.True(figures[StoreProvider.Sqlite][0]["Tokens"]!["Total"]!.GetValue<int>() > 0);
        for (var i = 0; i < figures[StoreProvider.Sqlite].Count; i++)
        {
            var sqlite = Flatten(figures[StoreProvider.Sqlite][i]);
            var postgres = Flatten(figures[StoreProvider.Postgres][i]);
            Assert.Equal(sqlite.Keys.Order(), postgres.Keys.Order());
            foreach (var (path, value) in sqlite)
                Assert.True(value == postgres[path], $"{path}: SQLite {value}, PostgreSQL {postgres[path]} (object {i})");
        }
    }

    internal static Task<ImportSummary> ImportAsync(ImportService imports, string sample) =>
        imports.ImportFileAsync(ImporterTestFiles.Sample(sample), new ImportRequest(sample, null, ScannedAt, "analyst@example.com") { MayChangeDirectory = true });

    private static Dictionary<string, string> Flatten(JsonNode node)
    {
        var fields = new Dictionary<string, string>();
        void Walk(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, $"{path}.{k}");
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}[{i}]");
                    break;
                default:
                    fields[path] = n?.ToJsonString() ?? "null";
                    break;
            }
        }
        Walk(node, "$");
        return fields;
    }
}
