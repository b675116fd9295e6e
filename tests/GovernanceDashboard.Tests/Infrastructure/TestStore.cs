using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>A real SQLite file and key folder in a temporary directory, migrated like production; deleted afterwards.</summary>
public sealed class TestStore : IAsyncDisposable
{
    public TestStore()
    {
        Directory = Path.Combine(Path.GetTempPath(), "gd-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "governance.db");
        KeyDirectory = Path.Combine(Directory, "keys");
        ConnectionString = $"Data Source={DatabasePath}";
        // The same keyed audit chain as the app's (key and head beside the other keys).
        Chain = new AuditChain(KeyDirectory);
        Factory = new StoreFactory(new DbContextOptionsBuilder<GovernanceDbContext>().UseSqlite(ConnectionString).AddInterceptors(Chain).Options);
    }

    public string Directory { get; }
    public string DatabasePath { get; }
    public string KeyDirectory { get; }
    public string ConnectionString { get; }
    public IDbContextFactory<GovernanceDbContext> Factory { get; }
    public AuditChain Chain { get; }

    /// <summary>Configuration that points the app at this store.</summary>
    public Dictionary<string, string?> Settings => SettingsFor(ConnectionString, KeyDirectory);

    /// <summary>Configuration that points the app at a store and key folder, with nothing else running on its own.</summary>
    public static Dictionary<string, string?> SettingsFor(string connectionString, string keyDirectory) => new()
    {
        ["ConnectionStrings:Governance"] = connectionString,
        ["Secrets:KeyDirectory"] = keyDirectory,
        ["Demo:SeedWhenEmpty"] = "false",
        // Tests that need the metric history drive HistoryService themselves.
        ["History:Enabled"] = "false",
        // No test reaches a real platform: a closed local port unless a test points them at its stub.
        ["HuggingFace:BaseUrl"] = "http://127.0.0.1:9",
        ["GitHub:ApiBaseUrl"] = "http://127.0.0.1:9",
    };

    public async Task<TestStore> MigrateAsync()
    {
        await using var db = Factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await db.Database.MigrateAsync();
        await Chain.InitializeAsync(db);
        return this;
    }

    public SecretProtector Protector()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var keys = new KeyStore(config, new Env(Directory));
        return new SecretProtector(keys, DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(KeyDirectory, "dataprotection"))));
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }

    private sealed class StoreFactory(DbContextOptions<GovernanceDbContext> options) : IDbContextFactory<GovernanceDbContext>
    {
        public GovernanceDbContext CreateDbContext() => new(options);
    }

    private sealed class Env(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "GovernanceDashboard";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
