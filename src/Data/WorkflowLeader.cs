using Npgsql;

namespace GovernanceDashboard.Data;

/// <summary>Elects the one instance that runs the background workflows (grant expiry, escalations, reminders, mail, SLA
/// notices), so that several dashboard instances on one PostgreSQL store do not send every notice twice.</summary>
/// <remarks>
/// PostgreSQL: the leader holds a session-level advisory lock on a connection of its own (outside the pool, so that
/// closing it, or the instance dying, releases the lock); the others try again at each round and take over when it is
/// gone. SQLite: one process serves the store, which is always the leader.
/// </remarks>
public sealed class WorkflowLeader(IDbContextFactory<GovernanceDbContext> dbFactory, ILogger<WorkflowLeader> log) : IAsyncDisposable
{
    /// <summary>The advisory lock's key ("WORKFLOW").</summary>
    public const long LockKey = 0x574F_524B_464C_4F57;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _held;

    /// <summary>Whether this instance runs the background workflows now (taking the lead when nobody holds it).</summary>
    public async Task<bool> IsLeaderAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_held is not null)
            {
                if (await StillHeldAsync(_held, ct)) return true;
                await _held.DisposeAsync();
                _held = null;
                log.LogWarning("The connection holding the workflow lead was lost; trying to take it again.");
            }
            string connectionString;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (!db.Database.IsNpgsql()) return true;
                connectionString = db.Database.GetConnectionString()!;
            }
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(ct);
            await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", LockKey);
                if ((bool)(await command.ExecuteScalarAsync(ct))!)
                {
                    _held = connection;
                    log.LogInformation("This instance runs the background workflows (it holds the workflow lock).");
                    return true;
                }
            }
            await connection.DisposeAsync();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<bool> StillHeldAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Gives the lead up (closing its connection releases the lock).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_held is not null) await _held.DisposeAsync();
        _held = null;
        _gate.Dispose();
    }
}
