using System.Data.Common;
using System.Text;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>Every row of some tables as text, in key order: two stores (or one store before and after) compare equal only when
/// they hold the same rows.</summary>
public static class StoreDump
{
    public static async Task<string> TablesAsync(DbConnection connection, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "∅" : reader.GetValue(i)).Append('|');
            text.AppendLine(table);
        }
        return text.ToString();
    }
}
