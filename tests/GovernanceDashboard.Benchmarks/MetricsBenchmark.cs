using System.Diagnostics;
using System.Globalization;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Benchmarks;

/// <summary>The metrics object and inventory grid pages on a large store (default 1,000,000 tokens, 2,000,000 occurrences):
/// prints each figure's time, the median of three runs after a warm-up. Nothing asserts on time.</summary>
internal static class MetricsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tokens = Option(args, "--tokens") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 1_000_000;
        var directory = Option(args, "--store") ?? Path.Combine(Path.GetTempPath(), "gd-bench", $"metrics-{tokens}");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "governance.db");
        // Decided before the host is built: building it may already create the database file.
        var fresh = !File.Exists(database);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Composition.HostArguments([]), ContentRootPath = directory, EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Governance"] = $"Data Source={database}",
            ["Secrets:KeyDirectory"] = Path.Combine(directory, "keys"),
        });
        builder.Logging.ClearProviders();
        builder.AddGovernanceCore();
        using var host = builder.Build();
        await host.Services.MigrateGovernanceStoreAsync();
        if (fresh)
        {
            var seeding = Stopwatch.StartNew();
            Seed(database, tokens);
            Console.WriteLine($"seeded {tokens:N0} tokens, {tokens:N0} exposures, {2 * tokens:N0} occurrences in {seeding.Elapsed.TotalSeconds:F0} s ({directory}; reused by later runs)");
        }

        ScoreWriteTokens(database);
        MakeAdmin(database);

        // The in-memory facts: loaded once when the dashboard starts (in the background), then kept current from the change log.
        var facts = host.Services.GetRequiredService<GovernanceFacts>();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var loading = Stopwatch.StartNew();
        await facts.RefreshAsync();
        var loaded = loading.Elapsed;
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"facts loaded at start in {loaded.TotalSeconds:F1} s, {(memoryAfter - memoryBefore) / (1024.0 * 1024.0):F0} MB managed memory");
        await facts.PruneAsync();

        var change = new StoreChange(database);
        await MeasureQueriesAsync(host.Services, tokens, change.Apply);

        // The daily history the Overview's trend reads: a year of days, each the metrics object as of its end.
        var backfill = Stopwatch.StartNew();
        var days = await host.Services.GetRequiredService<HistoryService>().BackfillAsync();
        Console.WriteLine($"history backfill: {days} daily snapshots in {backfill.Elapsed.TotalSeconds:F1} s");
        if (!args.Contains("--no-browser"))
        {
            var renders = await OverviewRender.MeasureAsync(directory, database);
            var median = renders.Order().ElementAt(renders.Count / 2);
            Console.WriteLine($"{"Overview first interactive render (Chromium)",-44} {median,10:F0}   ≤ 1000 ms: {(median <= 1000 ? "MET" : "MISSED")}   (runs: {string.Join(", ", renders.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})");
        }
        if (args.Contains("--delete")) Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>The timed reads (median of three after a warm-up): the metrics object, the grid pages under each filter and sort,
    /// the exposure list and trend; <paramref name="change"/> makes one small write as another process would. Shared by the
    /// SQLite and PostgreSQL runs.</summary>
    internal static async Task MeasureQueriesAsync(IServiceProvider services, int tokens, Action change)
    {
        var metrics = services.GetRequiredService<MetricsService>();
        var inventory = services.GetRequiredService<TokenInventory>();
        Console.WriteLine($"{"what",-44} {"median ms",10}   goal");
        await Measure("metrics object (organisation)", 250, () => metrics.ComputeAsync());
        await Measure("metrics object after a change (refresh+compute)", 250, async () => { change(); return await metrics.ComputeAsync(); });
        await Measure("metrics object as of 180 days ago", 250, () => metrics.ComputeAsync(DateTimeOffset.UtcNow.AddDays(-180)));
        await Measure("metrics by team (50 teams)", null, () => metrics.ComputeByTeamAsync());
        foreach (var (name, filter, sort, page) in new (string, TokenFilter, TokenSort, int)[]
        {
            ("grid: first page", new TokenFilter(), TokenSort.LastSeenDesc, 1),
            ("grid: page 2,000 sorted by status", new TokenFilter(), TokenSort.StatusAsc, 2000),
            ("grid: last page sorted by mask", new TokenFilter(), TokenSort.MaskAsc, tokens / 25),
            ("grid: GitHub + Exposed", new TokenFilter { Platform = TokenPlatform.GitHub, Status = TokenStatus.Exposed }, TokenSort.LastSeenDesc, 1),
            ("grid: orphaned, by owner", new TokenFilter { Owner = "orphaned" }, TokenSort.OwnerAsc, 1),
            ("grid: team", new TokenFilter { Team = "Team 7" }, TokenSort.FirstSeenAsc, 1),
            ("grid: write without grant", new TokenFilter { UnjustifiedWrite = true }, TokenSort.LastSeenDesc, 1),
            ("grid: free text (repository)", new TokenFilter { Text = "repo17" }, TokenSort.MaskAsc, 1),
            ("grid: free text (mask), page 100", new TokenFilter { Text = "…12" }, TokenSort.FirstSeenDesc, 100),
            ("grid: sorted by blast radius", new TokenFilter(), TokenSort.BlastRadiusDesc, 1),
            ("grid: page 2,000 by blast radius, ascending", new TokenFilter(), TokenSort.BlastRadiusAsc, 2000),
            ("most dangerous open exposures (Overview)", new TokenFilter { Status = TokenStatus.Exposed, MinBlastRadius = double.Epsilon }, TokenSort.BlastRadiusDesc, 1),
        })
        {
            await Measure(name, 100, () => inventory.ListAsync(filter, page, 25, sort));
        }
        var exposureList = services.GetRequiredService<ExposureList>();
        var trends = services.GetRequiredService<TrendQueries>();
        await Measure("exposures: open, first page by SLA deadline", null, () => exposureList.ListAsync(new ExposureFilter { State = ExposureState.Open }, 1, 25));
        await Measure("trend: exposures by month", null, () => trends.ExposuresByMonthAsync());
        await Measure("grid: first page after a change", 100, async () => { change(); return await inventory.ListAsync(new TokenFilter(), 1, 25); });
    }

    private static async Task Measure<T>(string name, int? goalMs, Func<Task<T>> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var median = times.Order().ElementAt(1);
        var goal = goalMs is { } g ? $"≤ {g} ms: {(median <= g ? "MET" : "MISSED")}" : "";
        Console.WriteLine($"{name,-44} {median,10:F0}   {goal}");
    }

    /// <summary>The seeded directory's Admin, whom the Overview's browser run signs in as (the built-in administrator is
    /// only offered while the directory is empty).</summary>
    internal const string AdminEmail = "p1@bench.example";

    /// <summary>Makes <see cref="AdminEmail"/> an active Admin who can sign in; also in a store seeded by an earlier run.</summary>
    private static void MakeAdmin(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var command = connection.CreateCommand();
        // A session carries its person's security stamp; the seed's rows have none (a session with an empty one is refused).
        command.CommandText = "UPDATE People SET Active = 1, Roles = @admin, SecurityStamp = lower(hex(randomblob(16))) WHERE Email = @email";
        command.Parameters.AddWithValue("@admin", (int)Domain.Roles.Admin);
        command.Parameters.AddWithValue("@email", AdminEmail);
        if (command.ExecuteNonQuery() != 1) throw new InvalidOperationException($"The seeded store has no {AdminEmail}.");
    }

    /// <summary>A large store written with prepared statements: 5,000 people in 50 teams, tokens a year old at most,
    /// 70 % remediated, 5 % dismissed, 12 % write-capable (half with a grant), two occurrences each.</summary>
    internal static void Seed(string database, int count)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var tx = connection.BeginTransaction();
        var rng = new Random(1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const long Day = 86_400_000;
        Execute(connection, tx, "INSERT INTO People (Email, DisplayName, Team, Active, Roles, CreatedAt) VALUES (@e, @e, @t, @a, 0, 0)",
            5000, (p, i) => { p[0].Value = $"p{i + 1}@bench.example"; p[1].Value = $"Team {i % 50}"; p[2].Value = rng.NextDouble() < 0.95 ? 1 : 0; }, "@e", "@t", "@a");
        Execute(connection, tx, """
            INSERT INTO Imports (Format, FileName, Sha256, ImportedBy, ImportedAt, ScannedAt, Records, TokensNew, TokensSeen, OccurrencesNew, Duplicates,
                RejectedCount, ExposuresOpened, ExposuresClosed, OccurrencesOnClosedTokens, PeopleAdded, PeopleUpdated, RulesSaved, TokensAssignedByRule)
            VALUES ('bench', 'bench', '0', 'bench', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            """, 1, (_, _) => { });
        using var token = Command(connection, tx, """
            INSERT INTO Tokens (Identity, Identified, Mask, Platform, Kind, WriteCapability, OwnerId, OwnerSource, Status, FirstSeenAt, LastSeenAt, RevokedAt, Account)
            VALUES (@i, 1, @m, @p, @k, @w, @o, 'Manual', @s, @f, @l, @r, @a)
            """, "@i", "@m", "@p", "@k", "@w", "@o", "@s", "@f", "@l", "@r", "@a");
        using var exposure = Command(connection, tx, """
            INSERT INTO Exposures (TokenId, DetectedAt, Severity, VerificationAtDetection, State, RemediatedAt, DismissedAt) VALUES (@t, @d, @s, 'Verified', @st, @r, @x)
            """, "@t", "@d", "@s", "@st", "@r", "@x");
        using var occurrence = Command(connection, tx, """
            INSERT INTO Occurrences (TokenId, ImportId, Key, Scanner, Repository, File, Line, Visibility, Verification, DetectedAt, PubliclyLeaked)
            VALUES (@t, 1, @k, 'TruffleHog', @r, 'config.py', 1, 'Public', 'Verified', @d, 0)
            """, "@t", "@k", "@r", "@d");
        using var grant = Command(connection, tx, "INSERT INTO WriteScopeGrants (TokenId, RequestId, ApprovedAt, ExpiresAt) VALUES (@t, 0, @a, @e)", "@t", "@a", "@e");
        string[] severities = ["Low", "Medium", "High", "Critical"];
        for (var i = 1; i <= count; i++)
        {
            var first = now - (long)(rng.NextDouble() * 365 * Day);
            var roll = rng.NextDouble();
            long? remediated = roll < 0.7 ? first + (long)(rng.NextDouble() * 10 * Day) : null;
            if (remediated > now) remediated = null;
            long? dismissed = roll is >= 0.7 and < 0.75 ? first + Day : null;
            var write = rng.NextDouble() < 0.12 ? "Write" : rng.NextDouble() < 0.1 ? "Unknown" : "Read";
            Set(token, $"s:{i:x16}{rng.NextInt64():x16}", $"hf_…{i % 10000:0000}", i % 3 == 0 ? "GitHub" : "HuggingFace",
                i % 3 == 0 ? "GitHubClassicPat" : "HuggingFaceUserToken", write, rng.NextDouble() < 0.8 ? rng.Next(1, 5001) : null,
                remediated is not null ? "Revoked" : dismissed is not null ? "Active" : "Exposed", first, first + Day, remediated, $"account{i % 20000}");
            Set(exposure, i, first, severities[i % 4], remediated is not null ? "Remediated" : dismissed is not null ? "Dismissed" : "Open", remediated, dismissed);
            for (var k = 0; k < 2; k++) Set(occurrence, i, $"{i}-{k}", $"https://github.com/acme/repo{i % 3000}", first);
            if (write == "Write" && rng.NextDouble() < 0.5) Set(grant, i, first, first + 200 * Day);
        }
        tx.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        analyze.ExecuteNonQuery();
    }

    /// <summary>Blast-radius scores for the write tokens (0 to 10, spread by id), on a new store or one seeded before the column
    /// existed, so the grid's blast-radius sort has real values to order.</summary>
    private static void ScoreWriteTokens(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var any = connection.CreateCommand();
        any.CommandText = "SELECT EXISTS (SELECT 1 FROM Tokens WHERE BlastRadius > 0)";
        if ((long)any.ExecuteScalar()! == 1) return;
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE Tokens SET BlastRadius = ((Id * 7919) % 10000) / 1000.0 WHERE WriteCapability = 'Write'";
        update.CommandTimeout = 0;
        update.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(name, SqliteType.Text);
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql, int times, Action<SqliteParameterCollection, int> set, params string[] names)
    {
        using var command = Command(connection, tx, sql, names);
        for (var i = 0; i < times; i++)
        {
            set(command.Parameters, i);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>One small write through SQL, as another process would make it: a token changes owner (the change log
    /// records it; the next read refreshes that row).</summary>
    private sealed class StoreChange(string database)
    {
        private int _n;

        public void Apply()
        {
            using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE Tokens SET OwnerId = @o WHERE Id = @t";
            command.Parameters.AddWithValue("@o", 1 + (_n % 5000));
            command.Parameters.AddWithValue("@t", 1 + (_n++ * 7919 % 1000));
            command.ExecuteNonQuery();
        }
    }

    private static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
