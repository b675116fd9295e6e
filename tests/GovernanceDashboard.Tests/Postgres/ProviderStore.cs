using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>The provider-parameterised fixture: a real store on SQLite (a temporary file) or PostgreSQL (a fresh database on
/// <see cref="PostgresServer"/>), its key folder, and the app's services on it, migrated like production.</summary>
public sealed class ProviderStore : IAsyncDisposable
{
    private readonly TestStore? _sqlite;

    private ProviderStore(StoreProvider provider, string directory, string connectionString, TestStore? sqlite)
    {
        Provider = provider;
        Directory = directory;
        ConnectionString = connectionString;
        _sqlite = sqlite;
        KeyDirectory = Path.Combine(directory, "keys");
        Chain = sqlite?.Chain ?? new AuditChain(KeyDirectory);
        var options = new DbContextOptionsBuilder<GovernanceDbContext>();
        if (provider == StoreProvider.Postgres) options.UseNpgsql(connectionString);
        else options.UseSqlite(connectionString);
        Options = options.AddInterceptors(Chain).Options;
    }

    /// <summary>Both providers, for theories.</summary>
    public static TheoryData<StoreProvider> Providers => [StoreProvider.Sqlite, StoreProvider.Postgres];

    public StoreProvider Provider { get; }

    /// <summary>The SQLite store underneath (null on PostgreSQL).</summary>
    public TestStore? Sqlite => _sqlite;
    public string Directory { get; }
    public string KeyDirectory { get; }
    public string ConnectionString { get; }
    public AuditChain Chain { get; }
    public DbContextOptions<GovernanceDbContext> Options { get; }

    public GovernanceDbContext Db() => new(Options);

    public static async Task<ProviderStore> CreateAsync(StoreProvider provider)
    {
        if (provider == StoreProvider.Sqlite)
        {
            var sqlite = new TestStore();
            return new ProviderStore(provider, sqlite.Directory, sqlite.ConnectionString, sqlite);
        }
        var directory = Path.Combine(Path.GetTempPath(), "gd-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new ProviderStore(provider, directory, await PostgresServer.CreateDatabaseAsync(), null);
    }

    /// <summary>Configuration that points the app at this store (as TestStore's, with the provider).</summary>
    public Dictionary<string, string?> Settings => new(TestStore.SettingsFor(ConnectionString, KeyDirectory))
    {
        ["Database:Provider"] = Provider.ToString(),
    };

    /// <summary>The app's services as the command line hosts them, on this store, migrated.</summary>
    /// <param name="logs">receives every log line, for the tests that prove no secret is logged</param>
    public Task<IHost> StartHostAsync(TimeProvider? clock = null, IEnumerable<KeyValuePair<string, string?>>? configuration = null,
        ILoggerProvider? logs = null) =>
        TestHost.StartAsync(Directory, Settings, configuration, clock, logs);

    public async ValueTask DisposeAsync()
    {
        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
            return;
        }
        await PostgresServer.DropDatabaseAsync(ConnectionString);
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
