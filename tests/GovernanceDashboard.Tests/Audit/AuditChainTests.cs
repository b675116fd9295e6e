using System.Text.Json;
using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Audit;

/// <summary>The keyed audit chain and its head outside the database, checked by the real <c>audit verify</c>.</summary>
public class AuditChainTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static AuditHead Head(TestStore store) =>
        JsonSerializer.Deserialize<AuditHead>(File.ReadAllText(Path.Combine(store.KeyDirectory, "audit-head.json")), Json)!;

    [Fact]
    public async Task An_intact_trail_verifies_and_the_head_outside_the_database_names_its_newest_event()
    {
        await using var store = await AuditStores.WithEventsAsync(4);
        await using (var db = store.Factory.CreateDbContext())
        {
            var newest = await db.AuditEvents.OrderByDescending(e => e.Id).FirstAsync();
            Assert.Equal(new AuditHead(4, newest.Hash), Head(store));
            // Keyed: the unkeyed SHA-256 of the row is not its hash.
            Assert.NotEqual(AuditTrail.HashOf(newest), newest.Hash);
        }

        var verify = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("event 4, hash " + Head(store).Hash, verify.Out, StringComparison.Ordinal);
        Assert.Contains("intact", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_newest_events_makes_audit_verify_exit_3()
    {
        await using var store = await AuditStores.WithEventsAsync(5);
        Assert.Equal(2, await AuditStores.ExecuteAsync(store, "DELETE FROM AuditEvents WHERE Id >= 4;"));

        var verify = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(3, verify.ExitCode);
        Assert.Contains("ends at event 3", verify.Out, StringComparison.Ordinal);
        Assert.Contains("newest events were deleted", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_recomputed_without_the_key_makes_audit_verify_exit_3()
    {
        await using var store = await AuditStores.WithEventsAsync(4);
        // The forger edits event 2 and recomputes every hash from there as the unkeyed chain would have it.
        await using (var db = store.Factory.CreateDbContext())
        {
            var events = await db.AuditEvents.OrderBy(e => e.Id).ToListAsync();
            events[1].After = "forged";
            for (var i = 1; i < events.Count; i++)
            {
                events[i].PreviousHash = events[i - 1].Hash;
                events[i].Hash = AuditTrail.HashOf(events[i]);
            }
            foreach (var e in events.Skip(1))
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE AuditEvents SET After = {e.After}, PreviousHash = {e.PreviousHash}, Hash = {e.Hash} WHERE Id = {e.Id}");
        }

        var verify = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(3, verify.ExitCode);
        Assert.Contains("event 2", verify.Out, StringComparison.Ordinal);
        Assert.Contains("recomputed without the audit key", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_chained_before_the_key_keeps_its_history_and_chains_on_keyed()
    {
        await using var store = new TestStore();
        // A store of the unkeyed era: migrated without the chain, three events hashed with plain SHA-256.
        var legacy = new DbContextOptionsBuilder<GovernanceDbContext>().UseSqlite(store.ConnectionString).Options;
        await using (var db = new GovernanceDbContext(legacy))
        {
            await db.Database.MigrateAsync();
            var previous = AuditTrail.GenesisHash;
            for (var id = 1; id <= 3; id++)
            {
                var e = new AuditEvent
                {
                    Id = id, At = DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_000 + id), Actor = "old@example.com", Kind = "setting.changed",
                    Subject = $"setting:{id}", PreviousHash = previous, Hash = "",
                };
                e.Hash = AuditTrail.HashOf(e);
                previous = e.Hash;
                db.AuditEvents.Add(e);
            }
            await db.SaveChangesAsync();
        }
        Assert.False(File.Exists(Path.Combine(store.KeyDirectory, "audit-chain.key")));

        // The first start of the new version creates the key; the old events still verify.
        var first = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("event 3", first.Out, StringComparison.Ordinal);

        await AuditTrail.RecordAsync(store.Factory, "new@example.com", "setting.changed", "setting:4");
        await AuditTrail.RecordAsync(store.Factory, "new@example.com", "setting.changed", "setting:5");
        Assert.Equal(0, (await CliRunner.RunAsync(store, "audit", "verify")).ExitCode);
        await using (var db = store.Factory.CreateDbContext())
        {
            var fourth = await db.AuditEvents.SingleAsync(e => e.Id == 4);
            Assert.NotEqual(AuditTrail.HashOf(fourth), fourth.Hash);
        }

        // Recomputing the new events as if they were of the old era is caught.
        await using (var db = store.Factory.CreateDbContext())
        {
            var events = await db.AuditEvents.OrderBy(e => e.Id).ToListAsync();
            foreach (var e in events.Skip(3))
            {
                e.PreviousHash = events[(int)e.Id - 2].Hash;
                e.Hash = AuditTrail.HashOf(e);
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE AuditEvents SET PreviousHash = {e.PreviousHash}, Hash = {e.Hash} WHERE Id = {e.Id}");
            }
        }
        Assert.Equal(3, (await CliRunner.RunAsync(store, "audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task Two_processes_appending_at_once_keep_one_chain_and_the_head_on_its_newest_event()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using (var db = store.Factory.CreateDbContext())
        {
            db.People.Add(new Person { Email = "ci@example.com", DisplayName = "CI", Roles = Roles.Analyst });
            await db.SaveChangesAsync();
        }

        // The command line appends (apikey.created) from other processes while this one appends in a loop.
        var cli = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
                Assert.Equal(0, (await CliRunner.RunAsync(store, "apikey", "create", "--person", "ci@example.com", "--name", $"k{i}")).ExitCode);
        });
        var here = 0;
        while (!cli.IsCompleted)
        {
            await AuditTrail.RecordAsync(store.Factory, "analyst@example.com", "setting.changed", $"setting:{here++}");
        }
        await cli;

        await using var check = store.Factory.CreateDbContext();
        Assert.Null(await AuditTrail.VerifyAsync(check));
        var newest = await check.AuditEvents.OrderByDescending(e => e.Id).FirstAsync();
        Assert.Equal(here + 3, newest.Id);
        Assert.Equal(3, await check.AuditEvents.CountAsync(e => e.Kind == "apikey.created"));
        Assert.Equal(new AuditHead(newest.Id, newest.Hash), Head(store));
    }
}
