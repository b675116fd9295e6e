using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovernanceDashboard.Ingestion;

/// <summary>For a large import into a small store: the inventory's secondary indexes on tokens, occurrences and exposures
/// are dropped inside the import's transaction and built again, with their exact stored definitions, before it commits.</summary>
/// <remarks>
/// Measured (100,000 TruffleHog records into a fresh store): keeping the 13 secondary indexes of the three tables current
/// row by row was a third of the import's CPU; building them once at the end, by sorting, costs a small fraction of that.
/// Only indexes the write path never reads are deferred: the unique ones (identity, place key: ON CONFLICT needs them)
/// and exposures by token (the latest exposure of a known token) stay. SQLite's DDL is transactional, so a failed,
/// rejected or killed import leaves every index as it was, and readers in WAL mode keep seeing the committed schema.
/// Building an index sorts the whole table, so it only pays when the import adds about as many rows as the table holds:
/// <see cref="ShouldDefer"/> decides from the file's size. The sorts go to temporary files past the page cache's size
/// (they hold index keys: identities, states, dates, never a secret). SQLite only; PostgreSQL keeps its indexes.
/// </remarks>
internal sealed class DeferredIndexes
{
    /// <summary>A conservative guess of the smallest record a scanner writes (a TruffleHog line is ~700 bytes, a GitHub alert
    /// ~1.5 KB): overestimating the records only defers for imports that would have paid off a little less.</summary>
    private const long SmallestRecordBytes = 512;

    private readonly List<(string Name, string Sql)> _dropped;

    private DeferredIndexes(List<(string Name, string Sql)> dropped) => _dropped = dropped;

    public int Count => _dropped.Count;

    /// <summary>Defer when the tokens table holds fewer rows than twice the records the file may add.</summary>
    /// <remarks>Measured at 1,000,000 TruffleHog records (728 MB) into an empty store: kept row by row, the indexes outgrew
    /// the page cache and the import took 235 cpu s; deferred, with the rebuild's sorts spilling to temporary files
    /// (<see cref="RestoreAsync"/>), 54 cpu s at a peak of 290 MB.</remarks>
    public static bool ShouldDefer(long existingTokens, long fileBytes) =>
        existingTokens < 2 * (fileBytes / SmallestRecordBytes);

    /// <summary>Drops the deferrable indexes when <see cref="ShouldDefer"/> says so; call <see cref="RestoreAsync"/> before committing.</summary>
    public static async Task<DeferredIndexes> DropAsync(GovernanceDbContext db, long fileBytes, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return new DeferredIndexes([]);
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Indexes are only deferred inside the import's transaction.");
        var tokens = db.Model.FindEntityType(typeof(Token))!;
        var existing = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT coalesce(max(\"Id\"), 0) FROM \"{tokens.GetTableName()}\"", ct),
            System.Globalization.CultureInfo.InvariantCulture);
        if (!ShouldDefer(existing, fileBytes)) return new DeferredIndexes([]);

        var deferrable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { typeof(Token), typeof(Occurrence), typeof(Exposure) })
        {
            foreach (var index in db.Model.FindEntityType(type)!.GetIndexes())
            {
                if (index.IsUnique || IsReadByWriter(index)) continue;
                if (index.GetDatabaseName() is { } name) deferrable.Add(name);
            }
        }

        // The stored definition, not the model's: what is rebuilt is exactly what was there.
        var dropped = new List<(string Name, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.Transaction = transaction;
            list.CommandText = "SELECT \"name\", \"sql\" FROM sqlite_master WHERE \"type\" = 'index' AND \"sql\" IS NOT NULL";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (deferrable.Contains(reader.GetString(0))) dropped.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (name, _) in dropped) await ExecuteAsync(connection, transaction, $"DROP INDEX \"{name}\"", ct);
        return new DeferredIndexes(dropped);
    }

    /// <summary>Builds the dropped indexes again, inside the same transaction.</summary>
    public async Task RestoreAsync(GovernanceDbContext db, CancellationToken ct)
    {
        if (_dropped.Count == 0) return;
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        // The rebuild sorts each table's keys: in temporary files past the page cache's size, not in memory (the import's
        // temp_store=MEMORY would hold a million-row sort whole).
        await ExecuteAsync(connection, transaction, "PRAGMA temp_store = FILE", ct);
        foreach (var (_, sql) in _dropped) await ExecuteAsync(connection, transaction, sql, ct);
        _dropped.Clear();
    }

    // FindingWriter looks up a known token's latest exposure by token id.
    private static bool IsReadByWriter(Microsoft.EntityFrameworkCore.Metadata.IIndex index) =>
        index.DeclaringEntityType.ClrType == typeof(Exposure) && index.Properties[0].Name == nameof(Exposure.TokenId);

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
