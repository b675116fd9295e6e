using System.Net;
using System.Security.Claims;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Domain;
using Bunit;
using GovernanceDashboard.Components.Pages.Settings;
using GovernanceDashboard.Data;
using GovernanceDashboard.People;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>An API key belongs to the person who creates it in the app; keys a person made for someone else are flagged.</summary>
public class ApiKeyOwnershipTests
{
    [Fact]
    public async Task A_key_created_in_the_app_acts_as_its_creator_and_keys_made_for_others_are_flagged()
    {
        await using var app = new AppFactory();
        _ = app.Server;
        Person boss, approver;
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            boss = new Person { Email = "boss@example.com", DisplayName = "Boss", Roles = Roles.Admin };
            approver = new Person { Email = "approver@example.com", DisplayName = "Approver", Roles = Roles.Approver };
            db.People.AddRange(boss, approver);
            await db.SaveChangesAsync();
        }
        var signedIn = new ClaimsPrincipal(GovernanceClaims.IdentityFor(boss, "Cookies"));

        var own = await ApiKeys.CreateOwnAsync(app.Store.Factory, signedIn, "my pipeline");
        Assert.Equal(boss.Email, own!.PersonEmail);
        var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", own.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/audit/events")).StatusCode);

        // Before keys belonged to their creator an Admin could make one for an approver; the operator's CLI still may.
        var madeForAnother = await ApiKeys.CreateAsync(app.Store.Factory, approver.Email, "act as approver", boss.Email);
        var byOperator = await ApiKeys.CreateAsync(app.Store.Factory, approver.Email, "ci", "cli");
        await using var read = app.Store.Factory.CreateDbContext();
        var creators = await ApiKeys.CreatorsAsync(read);
        var people = await read.ApiKeys.Include(k => k.Person).ToDictionaryAsync(k => k.Id, k => k.Person!.Email);
        bool Flagged(int id) => ApiKeys.ActsForAnother(creators.GetValueOrDefault(id), people[id]);
        Assert.False(Flagged(own.Id));
        Assert.True(Flagged(madeForAnother!.Id));
        Assert.False(Flagged(byOperator!.Id));
    }

    [Fact]
    public async Task Settings_creates_a_key_for_the_signed_in_admin_only()
    {
        await using var store = new TestStore();
        using var host = await TestHost.StartAsync(store);
        var factory = host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        var boss = new Person { Email = "boss@example.com", DisplayName = "Boss", Roles = Roles.Admin };
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.People.AddRange(boss, new Person { Email = "approver@example.com", DisplayName = "Approver", Roles = Roles.Approver });
            await db.SaveChangesAsync();
        }
        await using var ctx = MudBunit.NewContext(services =>
        {
            services.AddSingleton(factory);
            services.AddSingleton(host.Services.GetRequiredService<PeopleDirectory>());
            services.AddSingleton(host.Services.GetRequiredService<GovernanceDashboard.Settings.SettingsStore>());
            services.AddSingleton(host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>());
        });
        ctx.Render<MudPopoverProvider>();
        var user = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(GovernanceClaims.IdentityFor(boss, "Cookies"))));
        var page = ctx.Render<CascadingValue<Task<AuthenticationState>>>(p => p.Add(c => c.Value, user).AddChildContent<SettingsPage>());

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-tab")), TimeSpan.FromSeconds(30));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("API keys", StringComparison.Ordinal)).Click();
        Assert.Empty(page.FindComponents<MudSelect<string>>()); // no "acts as" choice of person
        page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "Name (e.g. the pipeline)").Find("input").Change("ci");
        page.Find("[data-testid=create-key]").Click();

        page.WaitForElement("[data-testid=new-key]", TimeSpan.FromSeconds(30));
        await using var read = await factory.CreateDbContextAsync();
        var key = await read.ApiKeys.Include(k => k.Person).SingleAsync();
        Assert.Equal("boss@example.com", key.Person!.Email);
    }
}
