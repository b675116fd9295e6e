using System.Diagnostics;
using System.Globalization;
using System.Text;
using GovernanceDashboard.Data;
using GovernanceDashboard.Facts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GovernanceDashboard.Benchmarks;

/// <summary><c>postgres [--records 100000,1000000] [--tokens 1000000] [--seed N] [--sqlite-store DIR] [--keep]</c>, with
/// <c>GOVERNANCE_BENCH_POSTGRES</c> set to a server's connection string: for each size, one TruffleHog file imported on
/// PostgreSQL, on SQLite and by the floor (three child processes, same file, same run); then the metrics object and grid
/// pages on PostgreSQL at <c>--tokens</c> tokens (the very store the SQLite <c>metrics</c> run seeds, copied in). Prints
/// figures; asserts nothing.</summary>
internal static class PostgresBenchmark
{
    public const string Variable = "GOVERNANCE_BENCH_POSTGRES";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // The tables MetricsBenchmark.Seed fills, parents first.
    private static readonly string[] SeededTables = ["People", "Imports", "Tokens", "Exposures", "Occurrences", "WriteScopeGrants"];

    public static async Task<int> RunAsync(string[] args)
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(server))
        {
            await Console.Error.WriteLineAsync($"postgres: set {Variable} to a PostgreSQL server's connection string (a user who may create databases).");
            return 1;
        }
        var sizes = Option(args, "--records") is { } r
            ? r.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s.Replace("_", "", StringComparison.Ordinal), Invariant)).ToList()
            : [100_000, 1_000_000];
        var tokens = Option(args, "--tokens") is { } t ? int.Parse(t.Replace("_", "", StringComparison.Ordinal), Invariant) : 1_000_000;
        var seed = Option(args, "--seed") is { } s ? int.Parse(s, Invariant) : 20260901;
        var keep = args.Contains("--keep");

        Console.WriteLine($"PostgreSQL benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {await ServerVersionAsync(server)}; .NET {Environment.Version}, "
            + $"{Environment.ProcessorCount} cores, load average {ImportsBenchmark.LoadAverage()}");
        var root = Path.Combine(Path.GetTempPath(), "gd-bench", "pg-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", Invariant));
        Directory.CreateDirectory(root);
        try
        {
            if (sizes.Count > 0 && sizes[0] > 0) await ImportsAsync(server, sizes, seed, root);
            if (tokens > 0) await MetricsAsync(server, tokens, Option(args, "--sqlite-store"), root, keep);
        }
        finally
        {
            if (!keep) ImportsBenchmark.Delete(root);
        }
        Console.WriteLine($"load average at the end: {ImportsBenchmark.LoadAverage()}");
        return 0;
    }

    // ---- Imports: PostgreSQL, SQLite and the floor on the same file. ----

    private static async Task ImportsAsync(string server, List<int> sizes, int seed, string root)
    {
        var table = new StringBuilder();
        table.AppendLine(string.Create(Invariant,
            $"{"records",10}  {"file MB",8}  {"run",-10}  {"seconds",8}  {"cpu s",7}  {"server cpu",10}  {"records/s",10}  {"peak RSS MB",11}  {"store MB",8}  {"/ floor",8}  {"/ SQLite",8}"));
        var counts = new StringBuilder();
        foreach (var size in sizes)
        {
            var file = Path.Combine(root, $"trufflehog-{size}.jsonl");
            await TruffleHogGenerator.WriteAsync(file, size, seed);
            var bytes = new FileInfo(file).Length;
            var runs = new List<(string Name, RunResult Result)>();
            foreach (var (name, verb, environment) in new (string, string, Dictionary<string, string?>)[]
            {
                ("PostgreSQL", "run-import", new() { [Variable] = server }),
                ("SQLite", "run-import", new() { [Variable] = null }),
                ("floor", "run-floor", new() { [Variable] = null }),
            })
            {
                await Console.Error.WriteLineAsync($"[{size:N0}] {name}... (load {ImportsBenchmark.LoadAverage()})");
                var directory = Path.Combine(root, $"{verb}-{name}-{size}");
                var result = await ImportsBenchmark.RunChildAsync(verb, file, directory, environment: environment);
                await Console.Error.WriteLineAsync($"[{size:N0}] {name}: {result.Seconds:F1} s");
                runs.Add((name, result));
                ImportsBenchmark.Delete(directory);
            }
            File.Delete(file);
            var floor = runs.Single(x => x.Name == "floor").Result;
            var sqlite = runs.Single(x => x.Name == "SQLite").Result;
            foreach (var (name, x) in runs)
            {
                var server2 = x.ServerCpuSeconds > 0 ? x.ServerCpuSeconds.ToString("F2", Invariant) : "";
                var vsSqlite = name == "floor" ? "" : string.Create(Invariant, $"{x.Seconds / sqlite.Seconds:F2}×");
                table.AppendLine(string.Create(Invariant,
                    $"{(name == "PostgreSQL" ? size.ToString("N0", Invariant) : ""),10}  {(name == "PostgreSQL" ? ImportsBenchmark.Mb(bytes).ToString("F1", Invariant) : ""),8}  {name,-10}  {x.Seconds,8:F2}  {x.CpuSeconds,7:F2}  {server2,10}  {x.Records / x.Seconds,10:N0}  {ImportsBenchmark.Kb(x.PeakRssKb),11:F0}  {ImportsBenchmark.Mb(x.StoreBytes),8:F0}  {x.Seconds / floor.Seconds,7:F2}×  {vsSqlite,8}"));
            }
            var pg = runs[0].Result;
            var same = pg.TokensNew == sqlite.TokensNew && pg.TokensSeen == sqlite.TokensSeen && pg.OccurrencesNew == sqlite.OccurrencesNew
                && pg.Duplicates == sqlite.Duplicates && pg.ExposuresOpened == sqlite.ExposuresOpened;
            counts.AppendLine(string.Create(Invariant,
                $"{size:N0} records: PostgreSQL {pg.TokensNew:N0} tokens new, {pg.TokensSeen:N0} seen, {pg.OccurrencesNew:N0} occurrences new, {pg.Duplicates:N0} duplicates, "
                + $"{pg.ExposuresOpened:N0} exposures opened; SQLite {(same ? "the same" : $"DIFFERENT: {sqlite.TokensNew:N0}/{sqlite.TokensSeen:N0}/{sqlite.OccurrencesNew:N0}/{sqlite.Duplicates:N0}/{sqlite.ExposuresOpened:N0}")}; "
                + $"floor {floor.TokensNew:N0} tokens, {floor.OccurrencesNew:N0} occurrences"));
        }
        Console.WriteLine();
        Console.Write(table);
        Console.Write(counts);
        Console.WriteLine("(seconds: wall; cpu s: the client process; server cpu: the PostgreSQL server's processes during the import)");
        Console.WriteLine();
    }

    // ---- Metrics and grid at a million tokens: the SQLite metrics store, copied into a fresh PostgreSQL database. ----

    private static async Task MetricsAsync(string server, int tokens, string? sqliteStore, string root, bool keep)
    {
        var source = await SeededSqliteStoreAsync(tokens, sqliteStore, root);
        var connectionString = await PostgresServerCpu.CreateDatabaseAsync(server, "gd_bench_metrics_");
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Composition.HostArguments([]), ContentRootPath = root, EnvironmentName = "Benchmark" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Governance"] = connectionString,
                ["Secrets:KeyDirectory"] = Path.Combine(root, "metrics-keys"),
            });
            builder.Logging.ClearProviders();
            builder.AddGovernanceCore();
            using var host = builder.Build();
            await host.Services.MigrateGovernanceStoreAsync();
            var copying = Stopwatch.StartNew();
            var rows = await CopyAsync(source, connectionString);
            Console.WriteLine($"copied {rows:N0} rows of the seeded store ({source}) into PostgreSQL in {copying.Elapsed.TotalSeconds:F0} s");

            var facts = host.Services.GetRequiredService<GovernanceFacts>();
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var loading = Stopwatch.StartNew();
            await facts.RefreshAsync();
            Console.WriteLine($"facts loaded at start in {loading.Elapsed.TotalSeconds:F1} s, {(GC.GetTotalMemory(forceFullCollection: true) - memoryBefore) / (1024.0 * 1024.0):F0} MB managed memory");
            await facts.PruneAsync();
            var n = 0;
            await MetricsBenchmark.MeasureQueriesAsync(host.Services, tokens, () =>
            {
                // One small write through SQL on a connection of its own, as another instance would make it.
                using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
                connection.Open();
                using var command = new NpgsqlCommand("UPDATE \"Tokens\" SET \"OwnerId\" = @o WHERE \"Id\" = @t", connection);
                command.Parameters.AddWithValue("o", 1 + (n % 5000));
                command.Parameters.AddWithValue("t", 1 + (n++ * 7919 % 1000));
                command.ExecuteNonQuery();
            });
        }
        finally
        {
            if (!keep) await PostgresServerCpu.DropDatabaseAsync(server, connectionString);
            else Console.WriteLine($"kept: {connectionString}");
        }
    }

    /// <summary>The store MetricsBenchmark seeds (its folder when complete, else a fresh one seeded the same way).</summary>
    private static async Task<string> SeededSqliteStoreAsync(int tokens, string? given, string root)
    {
        var shared = given ?? Path.Combine(Path.GetTempPath(), "gd-bench", $"metrics-{tokens}");
        if (await CountTokensAsync(Path.Combine(shared, "governance.db")) == tokens) return Path.Combine(shared, "governance.db");
        var directory = Path.Combine(root, "sqlite-seed");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "governance.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Composition.HostArguments([]), ContentRootPath = directory, EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Governance"] = $"Data Source={database}",
            ["Secrets:KeyDirectory"] = Path.Combine(directory, "keys"),
        });
        builder.Logging.ClearProviders();
        builder.AddGovernanceCore();
        using (var host = builder.Build())
        {
            await host.Services.MigrateGovernanceStoreAsync();
        }
        var seeding = Stopwatch.StartNew();
        MetricsBenchmark.Seed(database, tokens);
        Console.WriteLine($"seeded {tokens:N0} tokens into {database} in {seeding.Elapsed.TotalSeconds:F0} s");
        return database;
    }

    private static async Task<long> CountTokensAsync(string database)
    {
        if (!File.Exists(database)) return -1;
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT count(*) FROM \"Tokens\"", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Copies the seeded tables row for row (binary COPY, typed by PostgreSQL's columns) with triggers and foreign-key
    /// checks off for the session (the change log would otherwise record every row), then moves the id sequences on and
    /// refreshes the planner's statistics.</summary>
    private static async Task<long> CopyAsync(string sqliteDatabase, string connectionString)
    {
        await using var sqlite = new SqliteConnection($"Data Source={sqliteDatabase};Mode=ReadOnly;Pooling=False");
        await sqlite.OpenAsync();
        await using var postgres = new NpgsqlConnection(connectionString);
        await postgres.OpenAsync();
        await Execute(postgres, "SET session_replication_role = replica");
        long rows = 0;
        foreach (var table in SeededTables)
        {
            var columns = new List<(string Name, string Type)>();
            await using (var list = new NpgsqlCommand("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @t ORDER BY ordinal_position", postgres))
            {
                list.Parameters.AddWithValue("t", table);
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1)));
            }
            var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
            await using var select = new SqliteCommand($"SELECT {names} FROM \"{table}\"", sqlite);
            await using var source = await select.ExecuteReaderAsync();
            await using var copy = await postgres.BeginBinaryImportAsync($"COPY \"{table}\" ({names}) FROM STDIN (FORMAT BINARY)");
            while (await source.ReadAsync())
            {
                await copy.StartRowAsync();
                for (var i = 0; i < columns.Count; i++)
                {
                    if (source.IsDBNull(i))
                    {
                        await copy.WriteNullAsync();
                        continue;
                    }
                    switch (columns[i].Type)
                    {
                        case "integer": await copy.WriteAsync(checked((int)source.GetInt64(i))); break;
                        case "bigint": await copy.WriteAsync(source.GetInt64(i)); break;
                        case "smallint": await copy.WriteAsync(checked((short)source.GetInt64(i))); break;
                        case "boolean": await copy.WriteAsync(source.GetInt64(i) != 0); break;
                        case "double precision": await copy.WriteAsync(source.GetDouble(i)); break;
                        case "bytea": await copy.WriteAsync((byte[])source.GetValue(i)); break;
                        default: await copy.WriteAsync(source.GetString(i)); break;
                    }
                }
                rows++;
            }
            await copy.CompleteAsync();
        }
        await Execute(postgres, "SET session_replication_role = DEFAULT");
        foreach (var table in SeededTables)
            await Execute(postgres, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), (SELECT coalesce(max(\"Id\"), 0) + 1 FROM \"{table}\"), false)");
        await Execute(postgres, "ANALYZE");
        return rows;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ServerVersionAsync(string server)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        return "PostgreSQL " + connection.PostgreSqlVersion.ToString(2);
    }

    private static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
