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
    public static async Task<IHost> StartAsync(TestStore store, IEnumerable<KeyValuePair<string, string?>>? configuration = null,
        TimeProvider? clock = null, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = store.Directory, EnvironmentName = "Testing" });
        // The store's settings, then the test's own (which win).
        builder.Configuration.AddInMemoryCollection(store.Settings);
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
