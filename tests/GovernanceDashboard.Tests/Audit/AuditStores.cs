using GovernanceDashboard.Audit;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Tests.Audit;

/// <summary>Stores with a few audit events, and raw SQL against them: how an attacker who can write the file edits it.</summary>
internal static class AuditStores
{
    public static async Task<TestStore> WithEventsAsync(int count)
    {
        var store = await new TestStore().MigrateAsync();
        for (var i = 1; i <= count; i++)
            await AuditTrail.RecordAsync(store.Factory, "analyst@example.com", "setting.changed", $"setting:S{i}", before: $"{i - 1}", after: $"{i}");
        return store;
    }

    /// <returns>the rows the statement changed</returns>
    public static async Task<int> ExecuteAsync(TestStore store, string sql)
    {
        await using var connection = new SqliteConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }
}
