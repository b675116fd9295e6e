using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Data;

public class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_file_and_leave_no_pending_model_changes()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using var db = store.Factory.CreateDbContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        // The model in code and the last migration agree (the CI check `dotnet ef migrations has-pending-model-changes`).
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(0, await db.Tokens.CountAsync());
    }

    [Fact]
    public async Task The_store_uses_the_WAL_journal()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using var connection = new SqliteConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Instants_round_trip_and_compare_in_SQL()
    {
        await using var store = await new TestStore().MigrateAsync();
        var early = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));
        await using (var db = store.Factory.CreateDbContext())
        {
            db.People.Add(new Domain.Person { Email = "a@x", DisplayName = "A", CreatedAt = early });
            db.People.Add(new Domain.Person { Email = "b@x", DisplayName = "B", CreatedAt = early.AddDays(1) });
            await db.SaveChangesAsync();
        }
        await using var read = store.Factory.CreateDbContext();
        var later = await read.People.Where(p => p.CreatedAt > early).Select(p => p.Email).ToListAsync();
        Assert.Equal(["b@x"], later);
        var first = await read.People.OrderBy(p => p.CreatedAt).FirstAsync();
        Assert.Equal(early, first.CreatedAt);
    }
}
