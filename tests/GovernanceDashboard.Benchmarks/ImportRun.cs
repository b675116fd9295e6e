using GovernanceDashboard.Data;
using GovernanceDashboard.Ingestion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Benchmarks;

/// <summary>The real import, run in a child process: the app's own services (as the CLI hosts them) on a
/// fresh SQLite store with its own key folder, then <see cref="ImportService.ImportFileAsync"/> on the file, timed alone.</summary>
public static class ImportRun
{
    public static async Task<int> RunAsync(string file, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var database = Path.Combine(workDirectory, "governance.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // As the command line hosts it (configuration read once, no watcher on the folder the store is written in).
            Args = Composition.HostArguments([]),
            ContentRootPath = workDirectory,
            EnvironmentName = Environments.Production,
        });
        // GOVERNANCE_BENCH_POSTGRES (a server's connection string): the same run on a fresh PostgreSQL database instead.
        var postgres = Environment.GetEnvironmentVariable("GOVERNANCE_BENCH_POSTGRES") is { Length: > 0 } server ? await PostgresServerCpu.CreateDatabaseAsync(server, "gd_bench_") : null;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Governance"] = postgres ?? $"Data Source={database}",
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Secrets:KeyDirectory"] = Path.Combine(workDirectory, "keys"),
            ["Demo:SeedWhenEmpty"] = "false",
        });
        // The import's own summary is printed by the parent; logging would only add noise (and its cost is not the import's).
        builder.Logging.ClearProviders();
        builder.AddGovernanceCore();
        using var host = builder.Build();
        await host.Services.MigrateGovernanceStoreAsync();
        var imports = host.Services.GetRequiredService<ImportService>();

        var serverCpu = postgres is null ? null : await PostgresServerCpu.StartAsync(postgres);
        var meter = new RunMeter();
        var summary = await imports.ImportFileAsync(file, new ImportRequest(Path.GetFileName(file), Format: null, ScannedAt: null, Actor: "benchmark@example.com"));
        var result = meter.Complete(new RunResult
        {
            Records = summary.Records,
            TokensNew = summary.TokensNew,
            TokensSeen = summary.TokensSeen,
            OccurrencesNew = summary.OccurrencesNew,
            Duplicates = summary.Duplicates,
            Rejected = summary.Records - summary.OccurrencesNew - summary.Duplicates,
            ExposuresOpened = summary.ExposuresOpened,
        }, database, database + "-wal");
        if (postgres is not null)
        {
            // The server's share (its processes' CPU during the import) and the database's size; then the database goes.
            result = result with { ServerCpuSeconds = serverCpu!.Seconds(), StoreBytes = await PostgresServerCpu.DatabaseBytesAsync(postgres) };
            host.Dispose();
            await PostgresServerCpu.DropDatabaseAsync(Environment.GetEnvironmentVariable("GOVERNANCE_BENCH_POSTGRES")!, postgres);
        }
        Console.WriteLine(result.ToLine());
        return 0;
    }
}
