namespace GovernanceDashboard.Ingestion;

/// <summary>SQLite settings for the length of one import's connection, put back when it ends (the connection goes back to the pool).</summary>
/// <remarks>
/// An import is one long transaction of millions of small statements. Each statement that may fail half way (a UNIQUE or
/// FOREIGN KEY check) keeps a statement journal of the pages it touches; once one of them outgrows 64 KiB, SQLite moves it
/// to a temporary file for the rest of the transaction and every later statement writes its pages there (tens of
/// syscalls each): temp_store=MEMORY keeps it in memory. The default 2 MB page cache cannot hold the random-key indexes
/// (token identity, occurrence key) that every record looks up, so most lookups go to the WAL: 16 MB holds those of a
/// 100,000-record file. Measured: 16 MB was as fast as 32 MB at 100,000 TruffleHog records (and 64 or 128 MB no faster at
/// 1,000,000), and 16 MB less at the peak; the index rebuild's sorts (<see cref="BulkLoad"/>) take the same size in memory.
/// </remarks>
internal sealed class SqliteImportTuning : IAsyncDisposable
{
    private const string During = "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384;";
    private const string After = "PRAGMA temp_store = DEFAULT; PRAGMA cache_size = -2000;";

    private readonly GovernanceDbContext? _db;

    private SqliteImportTuning(GovernanceDbContext? db) => _db = db;

    /// <summary>Applies the settings on the context's open connection (SQLite only; nothing on PostgreSQL).</summary>
    public static async Task<SqliteImportTuning> ApplyAsync(GovernanceDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite()) return new SqliteImportTuning(null);
        await db.Database.ExecuteSqlRawAsync(During, ct);
        return new SqliteImportTuning(db);
    }

    public async ValueTask DisposeAsync()
    {
        if (_db is not null) await _db.Database.ExecuteSqlRawAsync(After);
    }
}
