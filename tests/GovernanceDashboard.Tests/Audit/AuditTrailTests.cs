using GovernanceDashboard.Audit;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Audit;

public class AuditTrailTests
{
    [Fact]
    public async Task Each_event_carries_the_hash_of_the_one_before()
    {
        await using var store = await AuditStores.WithEventsAsync(3);
        await using var db = store.Factory.CreateDbContext();
        var events = await db.AuditEvents.OrderBy(e => e.Id).ToListAsync();

        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Id));
        Assert.Equal(AuditTrail.GenesisHash, events[0].PreviousHash);
        Assert.Equal(events[0].Hash, events[1].PreviousHash);
        Assert.Equal(events[1].Hash, events[2].PreviousHash);
        Assert.Null(await AuditTrail.VerifyAsync(db));
    }

    [Fact]
    public async Task Several_events_saved_together_chain_in_order()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using (var db = store.Factory.CreateDbContext())
        {
            await AuditTrail.AppendAsync(db, "a", "k1", null);
            await AuditTrail.AppendAsync(db, "a", "k2", null);
            await db.SaveChangesAsync();
        }
        await using var check = store.Factory.CreateDbContext();
        Assert.Null(await AuditTrail.VerifyAsync(check));
        Assert.Equal(2, await check.AuditEvents.CountAsync());
    }

    [Fact]
    public async Task An_edited_row_is_named_by_verify()
    {
        await using var store = await AuditStores.WithEventsAsync(4);
        Assert.Equal(1, await AuditStores.ExecuteAsync(store, "UPDATE AuditEvents SET After = '999' WHERE Id = 2;"));

        await using var db = store.Factory.CreateDbContext();
        var broken = await AuditTrail.VerifyAsync(db);
        Assert.NotNull(broken);
        Assert.Equal(2, broken.EventId);
        Assert.Contains("edited", broken.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_row_is_named_by_verify()
    {
        await using var store = await AuditStores.WithEventsAsync(4);
        Assert.Equal(1, await AuditStores.ExecuteAsync(store, "DELETE FROM AuditEvents WHERE Id = 3;"));

        await using var db = store.Factory.CreateDbContext();
        var broken = await AuditTrail.VerifyAsync(db);
        Assert.NotNull(broken);
        Assert.Equal(3, broken.EventId);
        Assert.Contains("missing", broken.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rehashed_edit_is_named_by_verify_since_its_hash_is_keyed()
    {
        await using var store = await AuditStores.WithEventsAsync(3);
        await using (var db = store.Factory.CreateDbContext())
        {
            // A careful forger recomputes the edited event's own hash, without the audit key it cannot have.
            var e = await db.AuditEvents.SingleAsync(x => x.Id == 2);
            e.After = "forged";
            e.Hash = AuditTrail.HashOf(e);
            await db.SaveChangesAsync();
        }
        await using var check = store.Factory.CreateDbContext();
        var broken = await AuditTrail.VerifyAsync(check);
        Assert.Equal(2, broken?.EventId);
        Assert.Contains("without the audit key", broken?.Description, StringComparison.Ordinal);
    }
}
