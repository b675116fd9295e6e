using Bunit;
using GovernanceDashboard.Components.Pages.Settings;
using GovernanceDashboard.People;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The Settings page's Remediation tab: shows the configuration's default, saves the Admin's choice as an audited setting.</summary>
public class SettingsRemediationTabTests
{
    // A deadline for renders and the save on a busy machine, not a measurement.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_admin_turns_on_automatic_revocation_for_critical_hugging_face_exposures()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using var ctx = new BunitContext();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Remediation:AutoRevoke:GitHub"] = "High" }).Build();
        ctx.Services.AddSingleton<IConfiguration>(configuration);
        ctx.Services.AddSingleton(store.Factory);
        ctx.Services.AddSingleton(new PeopleDirectory(store.Factory));
        ctx.Services.AddSingleton(new GovernanceDashboard.Settings.SettingsStore(store.Factory));
        ctx.Services.AddMudServices();
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized("Admin");
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, "admin@acme.test"));
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.SetRendererInfo(new RendererInfo("Server", true));
        ctx.Render<MudBlazor.MudPopoverProvider>();
        var page = ctx.Render<SettingsPage>();

        page.FindAll(".mud-tab").First(t => t.TextContent.Contains("Remediation", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=save-remediation-settings]")), Patience);
        Assert.Contains("breaks that service", page.Markup, StringComparison.Ordinal);
        // The configuration's default shows as ticked.
        Assert.True(Box(page, "GitHub-High").HasAttribute("checked"));
        Assert.False(Box(page, "HuggingFace-Critical").HasAttribute("checked"));

        Box(page, "HuggingFace-Critical").Change(true);
        page.Find("[data-testid=save-remediation-settings]").Click();

        await using var db = store.Factory.CreateDbContext();
        page.WaitForAssertion(() => Assert.Equal("Critical", db.Settings.AsNoTracking().Single(s => s.Key == "AutoRevokeHuggingFace").Value), Patience);
        Assert.Equal("High", (await db.Settings.SingleAsync(s => s.Key == "AutoRevokeGitHub")).Value);
        var audit = await db.AuditEvents.Where(a => a.Kind == "setting.changed").Select(a => new { a.Actor, a.Subject }).ToListAsync();
        Assert.Contains(audit, a => a.Subject == "setting:AutoRevokeHuggingFace" && a.Actor == "admin@acme.test");
    }

    // MudBlazor puts unmatched attributes on the input or on its wrapper, depending on the version.
    private static AngleSharp.Dom.IElement Box(IRenderedComponent<SettingsPage> page, string id) =>
        page.Find($"input[data-testid=auto-revoke-{id}], [data-testid=auto-revoke-{id}] input");
}
