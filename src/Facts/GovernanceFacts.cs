using System.Data;
using System.Diagnostics;
using Microsoft.Data.Sqlite;

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
/// triggers are in the database. On PostgreSQL, where several instances share the store, the log is read by transaction
/// id rather than sequence number (see <see cref="ChangeLogSchema"/>), and each instance records what it has read in
/// FactReaders with a heartbeat, so pruning never removes entries a live instance has not read.
/// </remarks>
public sealed class GovernanceFacts(IDbContextFactory<GovernanceDbContext> dbFactory, ILogger<GovernanceFacts> log, TimeProvider? clock = null)
    : IDisposable
{
    public const int FullReloadAbove = 200_000;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ReaderWriterLockSlim _lock = new();
    private FactTables? _tables;
    private long _seq = -1;

    private int _fullLoads;

    // PostgreSQL: this instance's name in FactReaders, how many entries from the xmin read through were seen (a cheap
    // "did anything commit since"), and whether the heartbeat row was lost (then everything is read again).
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private long _seenFromXmin;
    private bool _mustReload;

    /// <summary>This instance's row in FactReaders (PostgreSQL).</summary>
    public string Instance => _instance;

    /// <summary>PostgreSQL: how long an instance may stay silent before entries it has not read may be pruned (it then
    /// reloads everything).</summary>
    public TimeSpan ReaderTimeout { get; set; } = TimeSpan.FromMinutes(10);

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
            if (connection is Npgsql.NpgsqlConnection postgres)
            {
                RefreshPostgres(postgres);
                return;
            }
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

    /// <summary>Deletes the change log entries this projection has read (another reader that had not reloads fully). On
    /// PostgreSQL: records this instance's heartbeat, forgets readers silent for <see cref="ReaderTimeout"/>, and deletes
    /// only what every remaining reader has read.</summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var through = Sequence;
        if (through <= 0) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            await _refresh.WaitAsync(ct);
            try
            {
                return PrunePostgres(postgres, Sequence);
            }
            finally
            {
                _refresh.Release();
            }
        }
        if (connection is not SqliteConnection sqlite) return 0;
        return ChangeLog.Prune(sqlite, through);
    }

    private void RefreshPostgres(Npgsql.NpgsqlConnection connection)
    {
        if (_tables is null || _mustReload)
        {
            // Registered (committed) before the read's snapshot: from then on nobody prunes what this instance has not read.
            Execute(connection, null, """
                INSERT INTO "FactReaders" ("Instance", "ReadXmin", "SeenAt") VALUES (@me, pg_snapshot_xmin(pg_current_snapshot())::text::bigint, @now)
                ON CONFLICT ("Instance") DO UPDATE SET "ReadXmin" = excluded."ReadXmin", "SeenAt" = excluded."SeenAt"
                """, ("me", _instance), ("now", _clock.GetUtcNow().ToUnixTimeMilliseconds()));
        }
        // One snapshot for the log and the rows it names.
        using var tx = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        var previous = _seq;
        long xmin, seen;
        bool registered;
        using (var command = Command(connection, tx, """
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
                (SELECT count(*) FROM "ChangeLog" WHERE "Xid" >= @seq),
                EXISTS (SELECT 1 FROM "FactReaders" WHERE "Instance" = @me)
            """, ("seq", previous), ("me", _instance)))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (xmin, seen, registered) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(2));
        }
        if (!registered && _tables is not null && !_mustReload)
        {
            // Silent too long: entries it had not read may be gone. Register again and read everything.
            _mustReload = true;
            tx.Commit();
            RefreshPostgres(connection);
            return;
        }
        if (_tables is null || _mustReload || seen > FullReloadAbove)
        {
            ReloadAll(connection, tx, xmin);
            _seenFromXmin = CountFrom(connection, tx, xmin);
            _mustReload = false;
            tx.Commit();
            return;
        }
        if (xmin == previous && seen == _seenFromXmin) return;
        _lock.EnterWriteLock();
        try
        {
            FactsLoader.LoadChanged(connection, tx, _tables, previous, FactsLoader.PostgresNewEntries);
            Volatile.Write(ref _seq, xmin);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        _seenFromXmin = xmin == previous ? seen : CountFrom(connection, tx, xmin);
        tx.Commit();
    }

    private int PrunePostgres(Npgsql.NpgsqlConnection connection, long readXmin)
    {
        var now = _clock.GetUtcNow();
        using var tx = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        var alive = Execute(connection, tx, """UPDATE "FactReaders" SET "ReadXmin" = @xmin, "SeenAt" = @now WHERE "Instance" = @me""",
            ("xmin", readXmin), ("now", now.ToUnixTimeMilliseconds()), ("me", _instance));
        if (alive == 0)
        {
            // Forgotten while silent: the next refresh registers again and reads everything.
            _mustReload = true;
            tx.Commit();
            return 0;
        }
        Execute(connection, tx, """DELETE FROM "FactReaders" WHERE "SeenAt" < @stale""", ("stale", (now - ReaderTimeout).ToUnixTimeMilliseconds()));
        var pruned = Execute(connection, tx, """DELETE FROM "ChangeLog" WHERE "Xid" < (SELECT min("ReadXmin") FROM "FactReaders")""");
        tx.Commit();
        return pruned;
    }

    private static long CountFrom(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, long xmin)
    {
        using var command = Command(connection, tx, """SELECT count(*) FROM "ChangeLog" WHERE "Xid" >= @seq""", ("seq", xmin));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Execute(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx, string sql,
        params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx,
        string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
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
