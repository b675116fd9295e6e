using GovernanceDashboard.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>One app on the demo organisation, shared by the tests of a class (read-only tests only).</summary>
public sealed class SeededApp : IAsyncLifetime
{
    public AppFactory Factory { get; } = new();

    public async Task InitializeAsync()
    {
        _ = Factory.Server; // starts the host, which migrates the store
        await Factory.Services.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
