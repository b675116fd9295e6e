using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>The PostgreSQL server the tests use: <c>GOVERNANCE_TEST_POSTGRES</c> (a connection string to a server where the
/// user may create databases) when set, otherwise a throwaway cluster this process starts from Debian's packages
/// (/usr/lib/postgresql/N/bin: a temporary data directory, a free port on 127.0.0.1, trust authentication) and stops when it
/// exits. Each store gets a database of its own.</summary>
public static class PostgresServer
{
    public const string Variable = "GOVERNANCE_TEST_POSTGRES";
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's connection string (database <c>postgres</c>).</summary>
    public static string ConnectionString => Server.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "gd_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/> (closing its pooled connections first).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given) return given;
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (bin is null)
            throw new InvalidOperationException(
                $"No PostgreSQL for the tests: install Debian's postgresql (apt-get install postgresql) or set {Variable} to a connection string.");
        // Clusters of earlier runs whose exit handler was cut short: stopped (no postmaster.pid) but not yet deleted.
        foreach (var old in Directory.GetDirectories(Path.GetTempPath(), "gd-pg-*"))
            if (!File.Exists(Path.Combine(old, "data", "postmaster.pid")))
                try { Directory.Delete(old, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        var folder = Path.Combine(Path.GetTempPath(), "gd-pg-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        // initdb refuses to run as root: the cluster then belongs to the postgres user.
        var asRoot = Environment.UserName == "root";
        Run("install", asRoot ? ["-d", "-o", "postgres", folder] : ["-d", folder]);
        Run(bin, asRoot, "initdb", "-D", $"{folder}/data", "-A", "trust", "-U", "postgres", "--no-sync");
        Run(bin, asRoot, "pg_ctl", "-D", $"{folder}/data", "-l", $"{folder}/log", "-w", "-o",
            $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(bin, asRoot, "pg_ctl", "-D", $"{folder}/data", "-m", "immediate", "-w", "stop");
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Best effort at exit: a leftover temporary folder is all that remains.
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true";
    }

    private static void Run(string bin, bool asRoot, string tool, params string[] args)
    {
        var command = Path.Combine(bin, tool);
        if (asRoot) Run("runuser", ["-u", "postgres", "--", command, .. args]);
        else Run(command, args);
    }

    private static void Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {error} {output.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
