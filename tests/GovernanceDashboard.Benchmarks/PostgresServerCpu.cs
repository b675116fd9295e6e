using System.Globalization;
using Npgsql;

namespace GovernanceDashboard.Benchmarks;

/// <summary>CPU time of a local PostgreSQL server's processes (the postmaster's children: backends, WAL writer, checkpointer),
/// read from /proc: on PostgreSQL half of an import's work is the server's, which the client's own cpu s leave out.</summary>
internal sealed class PostgresServerCpu
{
    private readonly int _postmaster;
    private readonly double _start;

    private PostgresServerCpu(int postmaster)
    {
        _postmaster = postmaster;
        _start = Total(postmaster);
    }

    public static async Task<PostgresServerCpu> StartAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return new PostgresServerCpu(Stat(backend) is { } stat ? stat.Parent : 0);
    }

    /// <summary>Seconds since the start (0 when the server is not on this machine).</summary>
    public double Seconds() => _postmaster == 0 ? 0 : Total(_postmaster) - _start;

    public static async Task<long> DatabaseBytesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task DropDatabaseAsync(string server, string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<string> CreateDatabaseAsync(string server, string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static double Total(int postmaster)
    {
        if (!Directory.Exists("/proc")) return 0;
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Stat(pid) is { } stat && (pid == postmaster || stat.Parent == postmaster)) ticks += stat.Ticks;
        }
        return ticks / 100.0; // USER_HZ: 100 on Linux
    }

    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid ... utime stime ...": comm may hold spaces, so split after its closing parenthesis.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
