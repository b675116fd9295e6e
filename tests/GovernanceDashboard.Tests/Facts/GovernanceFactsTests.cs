using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovernanceDashboard.Tests.Facts;

/// <summary>The in-memory facts stay equal to the store: after imports, workflow writes, raw SQL from elsewhere, deletions,
/// another process's import and a pruned change log, the figures a long-lived projection gives are those of a fresh full load.</summary>
public class GovernanceFactsTests
{
    private static readonly DateTimeOffset[] Instants = [DateTimeOffset.UtcNow, new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddDays(400)];

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task Incremental_refresh_gives_the_figures_of_a_full_load_after_every_kind_of_change(StoreProvider provider)
    {
        await using var harness = await ImportHarness.StartAsync(provider);
        var live = harness.Services.GetRequiredService<GovernanceFacts>();
        var factory = harness.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();

        async Task Step(string what, Func<Task> change)
        {
            await change();
            foreach (var at in Instants)
                Assert.True(await FiguresAsync(live, factory, at) == await FiguresAsync(null, factory, at), $"after {what}, as of {at:O}");
        }

        await Step("people", () => harness.ImportAsync(ImporterTestFiles.Sample("people.csv")));
        await Step("trufflehog", () => harness.ImportAsync(ImporterTestFiles.Sample("trufflehog.jsonl")));
        await Step("owners rules", () => harness.ImportAsync(ImporterTestFiles.Sample("owners.csv")));
        await Step("github alerts", () => harness.ImportAsync(ImporterTestFiles.Sample("github-alerts.json")));
        await Step("gitleaks", () => harness.ImportAsync(ImporterTestFiles.Sample("gitleaks.json")));
        await Step("real alerts", () => harness.ImportAsync(ImporterTestFiles.Real("github-alerts-many.json")));
        var before = await FiguresAsync(live, factory, DateTimeOffset.UtcNow);

        await Step("an owner who left", () => Sql(harness, "UPDATE \"People\" SET \"Active\" = FALSE WHERE \"Id\" = (SELECT MIN(\"OwnerId\") FROM \"Tokens\")"));
        await Step("a grant", () => Sql(harness, """
            INSERT INTO "WriteScopeGrants" ("TokenId", "RequestId", "ApprovedAt", "ExpiresAt") SELECT "Id", 0, 0, 4102444800000 FROM "Tokens" WHERE "WriteCapability" = 'Write' LIMIT 1
            """));
        await Step("an expiry in the past", () => Sql(harness, "UPDATE \"Tokens\" SET \"ExpiresAt\" = 1 WHERE \"Id\" = (SELECT MAX(\"Id\") FROM \"Tokens\")"));
        await Step("a remediation", () => Sql(harness, """UPDATE "Exposures" SET "State" = 'Remediated', "RemediatedAt" = "DetectedAt" + 3600000 WHERE "Id" = (SELECT MIN("Id") FROM "Exposures" WHERE "State" = 'Open')"""));
        await Step("a deleted token", () => Sql(harness, """
            DELETE FROM "Occurrences" WHERE "TokenId" = 1; DELETE FROM "Exposures" WHERE "TokenId" = 1; DELETE FROM "AttestationTasks" WHERE "TokenId" = 1;
            DELETE FROM "WriteScopeGrants" WHERE "TokenId" = 1; DELETE FROM "Tokens" WHERE "Id" = 1;
            """));
        await Step("a person moved team", () => Sql(harness, "UPDATE \"People\" SET \"Team\" = 'Moved' WHERE \"Id\" = (SELECT MAX(\"OwnerId\") FROM \"Tokens\")"));

        Assert.NotEqual(before, await FiguresAsync(live, factory, DateTimeOffset.UtcNow));
        // Every change above was small: read row by row after the first load.
        Assert.Equal(1, live.FullLoads);
    }

    [Fact]
    public async Task An_import_by_another_process_is_seen_by_the_running_projection()
    {
        await using var harness = await ImportHarness.StartAsync();
        var live = harness.Services.GetRequiredService<GovernanceFacts>();
        var metrics = harness.Services.GetRequiredService<MetricsService>();
        Assert.Equal(0, (await metrics.ComputeAsync()).Tokens.Total);

        var run = await CliRunner.RunAsync(harness.Store, "import", ImporterTestFiles.Sample("trufflehog.jsonl"));
        Assert.Equal(0, run.ExitCode);

        await using var db = harness.Db();
        var expected = await db.Tokens.CountAsync();
        Assert.True(expected > 0);
        Assert.Equal(expected, (await metrics.ComputeAsync()).Tokens.Total);
        Assert.Equal(1, live.FullLoads);
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task A_reader_whose_unread_changes_were_pruned_reloads_everything_and_is_right(StoreProvider provider)
    {
        await using var harness = await ImportHarness.StartAsync(provider);
        var factory = harness.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await harness.ImportAsync(ImporterTestFiles.Sample("people.csv"));
        await harness.ImportAsync(ImporterTestFiles.Sample("trufflehog.jsonl"));
        using var pruner = new GovernanceFacts(factory, NullLogger<GovernanceFacts>.Instance);
        using var behind = new GovernanceFacts(factory, NullLogger<GovernanceFacts>.Instance);
        await pruner.RefreshAsync();
        await behind.RefreshAsync();
        if (provider == StoreProvider.Postgres)
        {
            // A reader's mark is its snapshot's oldest running transaction, cluster-wide: a write another test (or this host's
            // start-up work) has open holds it back. Read again until every reader's mark is past every entry so far.
            var live = harness.Services.GetRequiredService<GovernanceFacts>();
            for (var round = 0; round < 100 && await CountAsync(harness, Unread) > 0; round++)
            {
                await Task.Delay(100);
                await live.RefreshAsync();
                await pruner.RefreshAsync();
                await behind.RefreshAsync();
            }
            Assert.Equal(0, await CountAsync(harness, Unread));
        }

        await harness.ImportAsync(ImporterTestFiles.Sample("owners.csv"));
        await pruner.RefreshAsync();
        Assert.True(await pruner.PruneAsync() > 0);
        await harness.ImportAsync(ImporterTestFiles.Sample("github-alerts.json"));

        var now = DateTimeOffset.UtcNow;
        Assert.Equal(await FiguresAsync(pruner, factory, now), await FiguresAsync(behind, factory, now));
        Assert.Equal(await FiguresAsync(null, factory, now), await FiguresAsync(behind, factory, now));
        // SQLite prunes past the slower reader, which reloads. PostgreSQL keeps what a live reader (FactReaders) has not read,
        // so it catches up row by row; a reader that went silent and was forgotten reloads (PostgresChangeLogTests).
        Assert.Equal(provider == StoreProvider.Sqlite ? 2 : 1, behind.FullLoads);
        Assert.Equal(1, pruner.FullLoads);
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task A_change_rolled_back_leaves_no_change_log_entry(StoreProvider provider)
    {
        await using var harness = await ImportHarness.StartAsync(provider);
        await harness.ImportAsync(ImporterTestFiles.Sample("trufflehog.jsonl"));
        var entries = await CountAsync(harness, "SELECT COUNT(*) FROM \"ChangeLog\"");
        Assert.True(entries > 0);

        await using (var db = harness.Db())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE \"Tokens\" SET \"OwnerId\" = NULL");
            Assert.True(await CountAsync(db, "SELECT COUNT(*) FROM \"ChangeLog\"") > entries);
            await tx.RollbackAsync();
        }
        Assert.Equal(entries, await CountAsync(harness, "SELECT COUNT(*) FROM \"ChangeLog\""));
    }

    private const string Unread = "SELECT count(*) FROM \"ChangeLog\" WHERE \"Xid\" >= (SELECT min(\"ReadXmin\") FROM \"FactReaders\")";

    /// <summary>Every figure, for the organisation and each team, as text; from <paramref name="facts"/>, or from a fresh full load when null.</summary>
    private static async Task<string> FiguresAsync(GovernanceFacts? facts, IDbContextFactory<GovernanceDbContext> factory, DateTimeOffset at)
    {
        using var fresh = facts is null ? new GovernanceFacts(factory, NullLogger<GovernanceFacts>.Instance) : null;
        var metrics = new MetricsService(facts ?? fresh!, factory, TimeProvider.System);
        var result = await metrics.ComputeByTeamAsync(at);
        return JsonSerializer.Serialize(new { result.Organisation, Teams = result.Teams.OrderBy(t => t.Key, StringComparer.Ordinal).ToList() });
    }

    private static async Task Sql(ImportHarness harness, string sql)
    {
        await using var db = harness.Db();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static Task<long> CountAsync(ImportHarness harness, string sql) => harness.ScalarAsync<long>(sql);

    private static Task<long> CountAsync(GovernanceDbContext db, string sql) => ImportHarness.ScalarAsync<long>(db, sql);
}
