using GovernanceDashboard.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The app's own services as the command line hosts them (no web host, no timers), on a test store, migrated.</summary>
public static class TestHost
{
    /// <param name="configuration">settings on top of the store's own</param>
    /// <param name="clock">replaces the system clock, for rules driven by explicit instants</param>
    /// <param name="logs">receives every log line, for the tests that prove no secret is logged</param>
    public static Task<IHost> StartAsync(TestStore store, IEnumerable<KeyValuePair<string, string?>>? configuration = null,
        TimeProvider? clock = null, ILoggerProvider? logs = null) =>
        StartAsync(store.Directory, store.Settings, configuration, clock, logs);

    /// <summary>The same on any store (<see cref="Postgres.ProviderStore"/>): its folder and the settings that point at it.</summary>
    public static async Task<IHost> StartAsync(string contentRoot, IEnumerable<KeyValuePair<string, string?>> storeSettings,
        IEnumerable<KeyValuePair<string, string?>>? configuration, TimeProvider? clock, ILoggerProvider? logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = Composition.HostArguments([]), ContentRootPath = contentRoot, EnvironmentName = "Testing" });
        // The store's settings, then the test's own (which win).
        builder.Configuration.AddInMemoryCollection(storeSettings);
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
        }
        builder.AddGovernanceCore();
        if (clock is not null) builder.Services.AddSingleton(clock);
        var host = builder.Build();
        await host.Services.MigrateGovernanceStoreAsync();
        return host;
    }
}
