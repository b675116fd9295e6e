using System.Data;
using System.Diagnostics;
using GovernanceDashboard.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Facts;

/// <summary>An in-memory projection of the facts the metrics and the inventory grid compute over, kept current from the
/// trigger-written change log: the metrics object as of any instant and any grid page are a pass over compact columns
/// instead of a scan and join of the big tables.</summary>
/// <remarks>
/// Every read first asks SQLite for the change log's last sequence number (one indexed lookup). When it moved, the
/// changed rows are read again, all in one read transaction so the log and the rows are one consistent snapshot; when
/// more than <see cref="FullReloadAbove"/> rows changed (a large import), or entries this process had not read were
/// pruned, everything is read again into new tables and swapped in. Readers see either the old or the new state, never
/// half of it. Changes from any writer count (the web app, a CLI import in another process, raw SQL), because the
/// triggers are in the database. On a provider without the change log (PostgreSQL) every read reloads everything.
/// </remarks>
public sealed class GovernanceFacts(IDbContextFactory<GovernanceDbContext> dbFactory, ILogger<GovernanceFacts> log) : IDisposable
{
    public const int FullReloadAbove = 200_000;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ReaderWriterLockSlim _lock = new();
    private FactTables? _tables;
    private long _seq = -1;

    private int _fullLoads;

    /// <summary>How many times everything was read (once at start; again after a large change or pruned entries).</summary>
    public int FullLoads => Volatile.Read(ref _fullLoads);

    /// <summary>The change log sequence number the projection has read through.</summary>
    public long Sequence => Volatile.Read(ref _seq);

    /// <summary>Runs <paramref name="read"/> over the current facts (refreshed first), under a read lock.</summary>
    internal async Task<T> ReadAsync<T>(Func<FactTables, T> read, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        _lock.EnterReadLock();
        try
        {
            return read(_tables!);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Brings the projection up to the store's latest committed state.</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(ct);
            if (connection is not SqliteConnection sqlite)
            {
                ReloadAll(connection, null, -1);
                return;
            }
            // Deferred: a read snapshot, not the writer's lock (an import may be writing meanwhile).
            using var tx = sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true);
            var (latest, oldest) = ChangeLog.Range(sqlite, tx);
            if (_tables is not null && latest == _seq) return;
            if (_tables is null || (oldest is { } o && o > _seq + 1) || latest - _seq > FullReloadAbove)
            {
                ReloadAll(sqlite, tx, latest);
                return;
            }
            _lock.EnterWriteLock();
            try
            {
                FactsLoader.LoadChanged(sqlite, tx, _tables, _seq);
                Volatile.Write(ref _seq, latest);
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Deletes the change log entries this projection has read (another reader that had not reloads fully).</summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var through = Sequence;
        if (through <= 0) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.GetDbConnection() is not SqliteConnection sqlite) return 0;
        await sqlite.OpenAsync(ct);
        return ChangeLog.Prune(sqlite, through);
    }

    private void ReloadAll(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx, long latest)
    {
        var watch = Stopwatch.StartNew();
        var tables = new FactTables();
        FactsLoader.LoadAll(connection, tx, tables);
        Interlocked.Increment(ref _fullLoads);
        _lock.EnterWriteLock();
        try
        {
            _tables = tables;
            Volatile.Write(ref _seq, latest);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        if (latest >= 0)
            log.LogInformation("Facts loaded: {Tokens} tokens, {Exposures} exposures, {Occurrences} occurrences in {Ms} ms",
                tables.Tokens.MaxId, tables.Exposures.MaxId, tables.Occurrences.MaxId, watch.ElapsedMilliseconds);
    }

    public void Dispose()
    {
        _refresh.Dispose();
        _lock.Dispose();
    }
}

/// <summary>Loads the facts when the app starts (so the first page does not wait for it), keeps them current after
/// changes made elsewhere (a CLI import), and prunes the change log entries read.</summary>
public sealed class FactsRefresher(GovernanceFacts facts, IConfiguration configuration, ILogger<FactsRefresher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Facts:RefreshSeconds", 10));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await facts.RefreshAsync(stoppingToken);
                await facts.PruneAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Refreshing the facts failed; retried in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
