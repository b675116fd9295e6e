using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>PostgreSQL specifics: a transaction that commits after a later one is still read, pruning keeps what a live
/// instance has not read, a silent instance reloads, and audit appends raced from many writers form one chain.</summary>
public class PostgresChangeLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_change_committed_after_a_later_one_is_still_read()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now));
        var facts = host.Services.GetRequiredService<GovernanceFacts>();
        await facts.RefreshAsync();

        // The slow writer takes its change-log entry (and sequence number) first, the fast one commits first.
        await using var slow = new NpgsqlConnection(store.ConnectionString);
        await slow.OpenAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        await InsertPersonAsync(slow, slowTx, "slow@example.com");
        await using (var fast = new NpgsqlConnection(store.ConnectionString))
        {
            await fast.OpenAsync();
            await InsertPersonAsync(fast, null, "fast@example.com");
        }
        await facts.RefreshAsync();
        Assert.Equal(1, await PeopleAsync(facts));

        await slowTx.CommitAsync();
        await facts.RefreshAsync();
        Assert.Equal(2, await PeopleAsync(facts));
        Assert.Equal(1, facts.FullLoads);
    }

    [Fact]
    public async Task Pruning_keeps_what_a_live_instance_has_not_read_and_a_forgotten_instance_reloads()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now));
        var factory = host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        var clock = new FakeTimeProvider(Now);
        using var ahead = new GovernanceFacts(factory, NullLogger<GovernanceFacts>.Instance, clock);
        using var behind = new GovernanceFacts(factory, NullLogger<GovernanceFacts>.Instance, clock);
        await ahead.RefreshAsync();
        await behind.RefreshAsync();
        await behind.PruneAsync();

        await using (var db = store.Db())
        {
            await InsertPersonAsync((NpgsqlConnection)db.Database.GetDbConnection(), null, "a@example.com", open: true);
            await InsertPersonAsync((NpgsqlConnection)db.Database.GetDbConnection(), null, "b@example.com");
        }
        await ahead.RefreshAsync();
        await ahead.PruneAsync();
        // "behind" is live and has not read the two entries: they stay, and it reads them incrementally.
        Assert.Equal(2, await CountAsync(store, "SELECT count(*) FROM \"ChangeLog\""));
        Assert.Equal(2, await PeopleAsync(behind));
        Assert.Equal(1, behind.FullLoads);
        // Once both have read them, the entries go. A reader's mark is its snapshot's oldest running transaction, so a write the
        // host's own start-up work (metric history, workers) has open at that moment holds the mark back until it ends: read
        // and prune again until then.
        for (var round = 0; round < 50 && await CountAsync(store, "SELECT count(*) FROM \"ChangeLog\"") > 0; round++)
        {
            if (round > 0) await Task.Delay(200);
            await behind.RefreshAsync();
            await ahead.RefreshAsync();
            await behind.PruneAsync();
            await ahead.PruneAsync();
        }
        Assert.Equal(0, await CountAsync(store, "SELECT count(*) FROM \"ChangeLog\""));

        // "behind" falls silent past the reader timeout: it is forgotten, entries it has not read are pruned, and it reloads.
        await using (var db = store.Db())
            await InsertPersonAsync((NpgsqlConnection)db.Database.GetDbConnection(), null, "c@example.com", open: true);
        clock.Advance(ahead.ReaderTimeout + TimeSpan.FromMinutes(1));
        var pruned = 0;
        for (var round = 0; round < 50 && pruned == 0; round++)
        {
            if (round > 0) await Task.Delay(200); // a write another test has open holds the mark back (see above)
            await ahead.RefreshAsync();
            pruned = await ahead.PruneAsync();
        }
        Assert.True(pruned > 0);
        Assert.Equal(3, await PeopleAsync(behind));
        Assert.Equal(2, behind.FullLoads);
    }

    [Fact]
    public async Task Audit_appends_raced_from_many_writers_form_one_intact_chain()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now));
        // Each writer is a context of its own that numbers its event from what it read, as two instances would; the
        // per-process gate is not taken, so only the database lock keeps them in one chain.
        var writers = Enumerable.Range(0, 16).Select(async i =>
        {
            await using var db = store.Db();
            await AuditTrail.AppendAsync(db, $"writer{i}@example.com", "test.raced", $"subject:{i}", at: Now);
            await db.SaveChangesAsync();
        });
        await Task.WhenAll(writers);
        await using var check = store.Db();
        Assert.Equal(16, await check.AuditEvents.CountAsync(e => e.Kind == "test.raced"));
        Assert.Null(await AuditTrail.VerifyAsync(check));
    }

    private static async Task InsertPersonAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string email, bool open = false)
    {
        if (open && connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO "People" ("Email", "DisplayName", "Active", "Roles", "CreatedAt", "SecurityStamp")
            VALUES (@email, @email, true, 0, 0, 'stamp')
            """, connection, tx);
        command.Parameters.AddWithValue("email", email);
        await command.ExecuteNonQueryAsync();
    }

    private static Task<int> PeopleAsync(GovernanceFacts facts) =>
        facts.ReadAsync(t => Enumerable.Range(1, t.People.MaxId).Count(id => t.People.Present[id]));

    private static async Task<long> CountAsync(ProviderStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
