using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Data;

/// <summary>Registers the store from <c>ConnectionStrings:Governance</c> and <c>Database:Provider</c>, and migrates it on start.</summary>
public static class DataRegistration
{
    public const string DefaultConnectionString = "Data Source=data/governance.db";

    /// <summary>PostgreSQL advisory lock taken while migrating ("MIGRATE").</summary>
    public const long MigrationLockKey = 0x4D49_4752_4154_45;

    public static IHostApplicationBuilder AddGovernanceData(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration["Database:Provider"] ?? "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString("Governance") ?? DefaultConnectionString;
        builder.Services.AddSingleton<WorkflowLeader>();
        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddDbContextFactory<GovernanceDbContext>((sp, o) => o.UseNpgsql(connectionString).AddInterceptors(sp.GetRequiredService<AuditChain>()));
        }
        else
        {
            // Busy handling, checked for every connection: Microsoft.Data.Sqlite retries a busy statement for the command
            // timeout (30 s, "Default Timeout=" in the connection string) on each connection it opens. Readers never need it:
            // the store is in WAL mode, where reading does not wait for the writer (a long import). Bookkeeping writes on
            // a reader's request path are queued instead of waiting (src/Bookkeeping).
            var sqlite = ResolveSqlitePath(connectionString, builder.Environment.ContentRootPath);
            // The audit chain rides on every context: its appends are keyed, and its head moves on after each commit.
            builder.Services.AddDbContextFactory<GovernanceDbContext>((sp, o) => o.UseSqlite(sqlite).AddInterceptors(sp.GetRequiredService<AuditChain>()));
        }
        return builder;
    }

    /// <summary>Makes a relative SQLite file path relative to the content root and creates its folder and file, private to this user.</summary>
    public static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } source && source != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(source, contentRoot);
            SqliteFiles.Prepare(full);
            csb.DataSource = full;
        }
        return csb.ToString();
    }

    /// <summary>Applies pending migrations and, on SQLite, turns on the WAL journal (persisted in the file).</summary>
    public static async Task MigrateGovernanceStoreAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        if (db.Database.IsNpgsql())
        {
            // Instances starting together migrate one at a time: the lock is the session's, released when it closes.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock({0})", [MigrationLockKey], ct);
        }
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock({0})", [MigrationLockKey], ct);
        // The audit chain's key is created on the first start, before anything is appended (see AuditChain).
        await services.GetRequiredService<AuditChain>().InitializeAsync(db, ct);
    }
}
