using System.Security.Claims;
using Bunit;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Components.Pages.Overview;
using GovernanceDashboard.Data;
using GovernanceDashboard.Demo;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace GovernanceDashboard.Tests.Components;

/// <summary>The app's services on the demo organisation, for rendering pages with bUnit.</summary>
public sealed class DemoServices : IAsyncLifetime
{
    private readonly TestStore _store = new();
    public IHost Host { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync(_store);
        await Host.Services.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await _store.DisposeAsync();
    }
}

/// <summary>The Overview shows an owner their own tokens only; the organisation's figures need a reading role, as /api/metrics does.</summary>
public class OverviewScopeTests(DemoServices demo) : IClassFixture<DemoServices>
{
    private static readonly TimeSpan Loaded = TimeSpan.FromSeconds(60);

    private IServiceProvider Services => demo.Host.Services;

    private async Task<Person> PersonAsync(Func<GovernanceDbContext, IQueryable<Person>> which)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        return await which(db).AsNoTracking().FirstAsync();
    }

    /// <summary>A context with the app's real services, the real policies, and the given person signed in.</summary>
    private BunitContext Context(Person person) => MudBunit.NewContext(services =>
    {
        foreach (var type in new[] { typeof(MetricsService), typeof(TrendQueries), typeof(HistoryService), typeof(ExposureList), typeof(IDbContextFactory<GovernanceDbContext>),
            typeof(GovernanceDashboard.BlastRadius.BlastRadiusService) })
            services.AddSingleton(type, Services.GetRequiredService(type));
        // The real authorisation service and policies in place of bUnit's placeholders.
        services.RemoveAll<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
        services.RemoveAll<AuthenticationStateProvider>();
        services.AddAuthorizationCore(Policies.Add);
        services.AddSingleton<AuthenticationStateProvider>(new FixedState(person));
    });

    private static IRenderedComponent<OverviewPage> Render(BunitContext ctx) =>
        ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<OverviewPage>()).FindComponent<OverviewPage>();

    [Fact]
    public async Task An_owner_sees_their_own_scorecard_and_no_organisation_figures()
    {
        var owner = await PersonAsync(db => db.People.Where(p => p.Active && p.Roles == Roles.None && db.Tokens.Any(t => t.OwnerId == p.Id)));
        await using var ctx = Context(owner);
        var page = Render(ctx);

        page.WaitForElement("[data-testid=owner-scorecard]", Loaded);
        Assert.Empty(page.FindAll("[data-testid=signal-trends]"));
        Assert.Empty(page.FindAll("[data-testid=exposure-trend]"));

        var own = await Services.GetRequiredService<MetricsService>().ComputeForOwnerAsync(owner.Id);
        var organisation = await Services.GetRequiredService<MetricsService>().ComputeAsync();
        Assert.True(own.Tokens.Active < organisation.Tokens.Active);
        Assert.Contains($"{own.OwnerCoverage.Owned} of {own.Tokens.Active} active tokens owned", page.Find("[data-testid=signal-owner-coverage]").TextContent, StringComparison.Ordinal);
        // Nobody else's e-mail appears (their own may, nowhere else's).
        await using var db = await Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        foreach (var other in await db.People.Where(p => p.Id != owner.Id).Select(p => p.Email).ToListAsync())
            Assert.DoesNotContain(other, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auditor_sees_the_organisation()
    {
        var auditor = await PersonAsync(db => db.People.Where(p => p.Active && p.Roles == Roles.Auditor));
        await using var ctx = Context(auditor);
        var page = Render(ctx);

        page.WaitForElement("[data-testid=signal-trends]", Loaded);
        Assert.Empty(page.FindAll("[data-testid=owner-scorecard]"));
        var organisation = await Services.GetRequiredService<MetricsService>().ComputeAsync();
        Assert.Contains($"of {organisation.Tokens.Active} active tokens owned", page.Find("[data-testid=signal-owner-coverage]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owners_figures_count_exactly_their_own_tokens()
    {
        var owner = await PersonAsync(db => db.People.Where(p => p.Active && db.Tokens.Count(t => t.OwnerId == p.Id) > 2));
        await using var db = await Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var theirs = await db.Tokens.Where(t => t.OwnerId == owner.Id).Select(t => t.Id).ToListAsync();
        var exposures = await db.Exposures.CountAsync(e => theirs.Contains(e.TokenId));

        var own = await Services.GetRequiredService<MetricsService>().ComputeForOwnerAsync(owner.Id, now);

        Assert.Equal(theirs.Count, own.Tokens.Total);
        Assert.Equal(exposures, own.Exposures.Total);
    }

    private sealed class FixedState(Person person) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(GovernanceClaims.IdentityFor(person, "Cookies"))));
    }
}
