using System.Security.Claims;
using Bunit;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Components.Pages.Imports;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>The Imports page offers the people directory format to Admins only (the import service refuses it to anyone else).</summary>
public class ImportsPageAccessTests
{
    [Theory]
    [InlineData(Roles.Analyst, false)]
    [InlineData(Roles.Admin, true)]
    public async Task The_people_directory_format_is_offered_to_admins_only(Roles roles, bool offered)
    {
        await using var store = new TestStore();
        using var host = await TestHost.StartAsync(store);
        var person = new Person { Id = 1, Email = "someone@example.com", DisplayName = "Someone", Roles = roles };
        await using var ctx = MudBunit.NewContext(services =>
        {
            services.AddSingleton(host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>());
            services.AddSingleton(host.Services.GetRequiredService<ImportService>());
            services.AddSingleton(host.Services.GetRequiredService<UploadSpool>());
            services.AddSingleton(host.Services.GetRequiredService<GovernanceDashboard.Sync.SyncStatus>());
            services.AddSingleton(host.Services.GetRequiredService<UploadImport>());
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
            services.RemoveAll<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
            services.AddAuthorizationCore(Policies.Add);
        });
        ctx.Render<MudPopoverProvider>();
        var user = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(GovernanceClaims.IdentityFor(person, "Cookies"))));
        var page = ctx.Render<CascadingValue<Task<AuthenticationState>>>(p => p.Add(c => c.Value, user).AddChildContent<ImportsPage>());

        var select = page.FindComponent<MudSelect<string>>();
        await select.InvokeAsync(select.Instance.OpenMenu);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponents<MudSelectItem<string>>()), TimeSpan.FromSeconds(30));
        var formats = page.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ToList();
        Assert.Contains(ImportFormats.OwnersCsv, formats);
        Assert.Equal(offered, formats.Contains(ImportFormats.PeopleCsv));
    }
}
