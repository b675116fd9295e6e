using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovernanceDashboard.Ingestion;

/// <summary>For a large import into a small store, the upkeep of tokens, occurrences and exposures done once at the end
/// instead of row by row: their secondary indexes, and for the largest files their change-log triggers, are dropped inside
/// the import's transaction and put back, with their exact stored definitions, before it commits.</summary>
/// <remarks>
/// <para>Indexes. Measured (100,000 TruffleHog records into a fresh store): keeping the secondary indexes of the three
/// tables current row by row was a third of the import's CPU; building them once at the end, by sorting, costs a small
/// fraction of that. Only indexes the write path never reads are deferred: the unique ones (identity, place key: ON
/// CONFLICT needs them) and exposures by token (the latest exposure of a known token) stay. Building an index sorts the
/// whole table, so it only pays when the import adds about as many rows as the table holds: <see cref="ShouldDefer"/>
/// decides from the file's size. The sorts go to temporary files past the page cache's size (they hold index keys:
/// identities, states, dates, never a secret).</para>
/// <para>Change log. An import that may change more rows than a reader of the change log reads one by one
/// (<see cref="GovernanceFacts.FullReloadAbove"/>) makes every reader load everything again anyway; its three rows per
/// record in the log are then work for nothing (measured: ~6 % of the import's CPU). For such a file the triggers of the
/// three tables are dropped too, and on restore the log is marked so that every reader reloads
/// (<see cref="ChangeLog.MarkAllChanged"/>). The import holds SQLite's only write lock meanwhile, so no other writer's
/// change goes unlogged.</para>
/// <para>SQLite's DDL is transactional: a failed, rejected or killed import leaves every index and trigger as it was, and
/// readers in WAL mode keep seeing the committed schema. SQLite only; PostgreSQL keeps its indexes, and logs per statement.</para>
/// </remarks>
internal sealed class BulkLoad
{
    /// <summary>A conservative guess of the smallest record a scanner writes (a TruffleHog line is ~700 bytes, a GitHub alert
    /// ~1.5 KB): overestimating the records only defers for imports that would have paid off a little less.</summary>
    private const long SmallestRecordBytes = 512;

    /// <summary>Change-log entries a new finding writes at most: its token, occurrence and exposure.</summary>
    private const long LoggedRowsPerRecord = 3;

    private static readonly Type[] Tables = [typeof(Token), typeof(Occurrence), typeof(Exposure)];

    private readonly List<(string Name, string Sql)> _dropped;
    private readonly bool _changeLogSuspended;

    private BulkLoad(List<(string Name, string Sql)> dropped, bool changeLogSuspended) => (_dropped, _changeLogSuspended) = (dropped, changeLogSuspended);

    /// <summary>Defer when the tokens table holds fewer rows than twice the records the file may add.</summary>
    /// <remarks>Measured at 1,000,000 TruffleHog records (728 MB) into an empty store: kept row by row, the indexes outgrew
    /// the page cache and the import took 235 cpu s; deferred, with the rebuild's sorts spilling to temporary files
    /// (<see cref="RestoreAsync"/>), 54 cpu s at a peak of 290 MB.</remarks>
    public static bool ShouldDefer(long existingTokens, long fileBytes) =>
        existingTokens < 2 * (fileBytes / SmallestRecordBytes);

    /// <summary>Also suspend the change log when the file may log more entries than a reader reads one by one.</summary>
    public static bool ShouldSuspendChangeLog(long fileBytes) =>
        fileBytes / SmallestRecordBytes * LoggedRowsPerRecord > GovernanceFacts.FullReloadAbove;

    /// <summary>Drops what <see cref="ShouldDefer"/> and <see cref="ShouldSuspendChangeLog"/> say; call <see cref="RestoreAsync"/> before committing.</summary>
    public static async Task<BulkLoad> BeginAsync(GovernanceDbContext db, long fileBytes, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return new BulkLoad([], false);
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk load only runs inside the import's transaction.");
        var tokens = db.Model.FindEntityType(typeof(Token))!;
        var existing = Convert.ToInt64(await ScalarAsync(connection, transaction, $"SELECT coalesce(max(\"Id\"), 0) FROM \"{tokens.GetTableName()}\"", ct),
            System.Globalization.CultureInfo.InvariantCulture);
        if (!ShouldDefer(existing, fileBytes)) return new BulkLoad([], false);

        var deferrable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in Tables)
        {
            foreach (var index in db.Model.FindEntityType(type)!.GetIndexes())
            {
                if (index.IsUnique || IsReadByWriter(index)) continue;
                if (index.GetDatabaseName() is { } name) deferrable.Add(name);
            }
        }
        var suspendLog = ShouldSuspendChangeLog(fileBytes);
        var tables = Tables.Select(t => db.Model.FindEntityType(t)!.GetTableName()!).ToHashSet(StringComparer.Ordinal);
        var logged = ChangeLog.Tracked.Where(t => tables.Contains(t.Table)).Select(t => t.Table).ToHashSet(StringComparer.Ordinal);

        // The stored definitions, not the model's: what is put back is exactly what was there.
        var dropped = new List<(string Kind, string Name, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.Transaction = transaction;
            list.CommandText = "SELECT \"type\", \"name\", \"tbl_name\", \"sql\" FROM sqlite_master WHERE \"type\" IN ('index', 'trigger') AND \"sql\" IS NOT NULL";
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (kind, name, table) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                var drop = kind == "index" ? deferrable.Contains(name) : suspendLog && logged.Contains(table) && ChangeLogSchema.IsLogTrigger(table, name);
                if (drop) dropped.Add((kind, name, reader.GetString(3)));
            }
        }
        foreach (var (kind, name, _) in dropped) await ExecuteAsync(connection, transaction, $"DROP {kind.ToUpperInvariant()} \"{name}\"", ct);
        return new BulkLoad(dropped.Select(d => (d.Name, d.Sql)).ToList(), suspendLog);
    }

    /// <summary>Builds the dropped indexes again and puts the triggers back, inside the same transaction; when the change
    /// log was suspended, marks it so that every reader reloads.</summary>
    public async Task RestoreAsync(GovernanceDbContext db, CancellationToken ct)
    {
        if (_dropped.Count == 0) return;
        if (_changeLogSuspended)
        {
            // A large file's writer has let go of what it remembered per token (FindingWriter.Complete: ~90 MB at 1,000,000
            // records): give that back before the sorts below take their memory. Measured at 1,000,000 TruffleHog records:
            // peak 342 → 321 MB, for one full collection of ~0.1 s.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        // The rebuild sorts each table's keys: in temporary files past the page cache's size, not in memory (the import's
        // temp_store=MEMORY would hold a million-row sort whole).
        await ExecuteAsync(connection, transaction, "PRAGMA temp_store = FILE", ct);
        foreach (var (_, sql) in _dropped) await ExecuteAsync(connection, transaction, sql, ct);
        _dropped.Clear();
        if (_changeLogSuspended) ChangeLog.MarkAllChanged(connection, transaction);
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
