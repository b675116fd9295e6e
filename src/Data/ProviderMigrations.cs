using System.Reflection;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace GovernanceDashboard.Data;

/// <summary>The database engines the store runs on, and the folder and namespace of each one's migration set.</summary>
public enum StoreProvider { Sqlite, Postgres }

/// <summary>Picks the migration set of the context's provider: SQLite's in <c>GovernanceDashboard.Data.Migrations.Sqlite</c>,
/// PostgreSQL's in <c>GovernanceDashboard.Data.Migrations.Postgres</c>.</summary>
/// <remarks>Both sets belong to the one <see cref="GovernanceDbContext"/> (every service keeps using that type), so EF Core's
/// default lookup, which collects every migration of the context in the assembly, would mix them; this lookup keeps only
/// the namespace of the provider in use. Migration ids are unchanged by the namespace, so existing stores stay current.
/// <see cref="GovernanceDbContext"/> installs it for every context however its options were built (the app, the tests,
/// <c>dotnet ef</c>).</remarks>
public sealed class ProviderMigrationsAssembly : IMigrationsAssembly
{
    private readonly Type _contextType;
    private readonly string _namespace;
    private readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> _migrations;
    private readonly Lazy<ModelSnapshot?> _snapshot;

    public ProviderMigrationsAssembly(ICurrentDbContext currentContext, IDatabaseProvider provider)
    {
        _contextType = currentContext.Context.GetType();
        _namespace = NamespaceOf(ProviderOf(provider.Name));
        Assembly = typeof(GovernanceDbContext).Assembly;
        _migrations = new(() => Assembly.DefinedTypes.Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition)
            .Where(t => t.Namespace == _namespace && t.IsSubclassOf(typeof(Migration)) && BelongsHere(t))
            .Select(t => (Id: t.GetCustomAttribute<MigrationAttribute>()?.Id, Type: t))
            .Where(m => m.Id is not null)
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToDictionary(m => m.Id!, m => m.Type));
        _snapshot = new(() => Assembly.DefinedTypes.Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition)
            .Where(t => t.Namespace == _namespace && t.IsSubclassOf(typeof(ModelSnapshot)) && BelongsHere(t))
            .Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!)
            .FirstOrDefault());
    }

    /// <summary>The namespace (and, below src/Data/Migrations, the folder) of a provider's migration set.</summary>
    public static string NamespaceOf(StoreProvider provider) => $"GovernanceDashboard.Data.Migrations.{provider}";

    /// <summary>The store provider of an EF Core provider name.</summary>
    public static StoreProvider ProviderOf(string efProviderName) =>
        efProviderName.Contains("Npgsql", StringComparison.Ordinal) ? StoreProvider.Postgres : StoreProvider.Sqlite;

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations.Value;

    public ModelSnapshot? ModelSnapshot => _snapshot.Value;

    public Assembly Assembly { get; }

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase))
        ?? Migrations.Keys.FirstOrDefault(id => string.Equals(id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..], nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private bool BelongsHere(TypeInfo type) =>
        type.GetCustomAttribute<DbContextAttribute>()?.ContextType is { } context && context.IsAssignableFrom(_contextType);
}

/// <summary>What <c>dotnet ef</c> builds the context with: SQLite by default, PostgreSQL with <c>-- --provider Postgres</c>.</summary>
/// <remarks>No database is opened to add a migration or check for pending model changes, so the connection strings here
/// only name a provider. The commands are in docs/database.md.</remarks>
public sealed class DesignTimeGovernanceDbContextFactory : IDesignTimeDbContextFactory<GovernanceDbContext>
{
    public GovernanceDbContext CreateDbContext(string[] args)
    {
        var index = Array.FindIndex(args, a => a is "--provider" or "--Database:Provider");
        var provider = index >= 0 && index + 1 < args.Length ? Enum.Parse<StoreProvider>(args[index + 1], ignoreCase: true) : StoreProvider.Sqlite;
        var options = new DbContextOptionsBuilder<GovernanceDbContext>();
        if (provider == StoreProvider.Postgres) options.UseNpgsql("Host=localhost;Database=design-time");
        else options.UseSqlite("Data Source=design-time.db");
        return new GovernanceDbContext(options.Options);
    }
}
