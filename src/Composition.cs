using GovernanceDashboard.Components;
using MudBlazor.Services;

namespace GovernanceDashboard;

/// <summary>The table of contents: each area registers itself.</summary>
public static class Composition
{
    /// <summary>The host's arguments: the user's, after the settings every host of this program starts with.</summary>
    /// <remarks>Configuration is read once at start. Watching it for changes watches the whole content root, and the store's
    /// files live under it (<c>data/</c>): every write then wakes a file-system watcher. Measured on an import of 100,000
    /// records: that watcher used ~0.9 cpu s of 7.5 (its thread and the kernel's events). A later <c>--hostBuilder:reloadConfigOnChange=true</c>
    /// among the user's arguments still turns it back on.</remarks>
    public static string[] HostArguments(IEnumerable<string> args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    /// <summary>What both the dashboard and the command line need.</summary>
    public static IHostApplicationBuilder AddGovernanceCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddGovernanceData();
        builder.AddSecretProtection();
        builder.AddAuditTrail();
        builder.Services.AddSingleton<GovernanceFacts>();
        builder.Services.AddSingleton<MetricsService>();
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<TrendQueries>();
        builder.Services.AddSingleton<HistoryService>();
        builder.Services.AddSingleton<TokenInventory>();
        builder.Services.AddSingleton<ExposureList>();
        builder.Services.AddSingleton<TokenDetails>();
        builder.Services.AddSingleton<PeopleDirectory>();
        builder.Services.AddSingleton<Settings.SettingsStore>();
        builder.AddIngestion();
        builder.AddGovernanceWorkflows();
        builder.AddGovernanceRemediation();
        builder.AddGovernanceReporting();
        builder.AddGitHubSync();
        builder.AddBlastRadius();
        return builder;
    }

    public static WebApplicationBuilder AddGovernanceDashboard(this WebApplicationBuilder builder)
    {
        builder.AddGovernanceCore();
        builder.AddGovernanceAuth();
        builder.AddBookkeeping();
        builder.AddGovernanceRateLimits();
        builder.AddProxySupport();
        builder.AddWorkflowSchedules();
        builder.AddRemediationWorkers();
        builder.AddReportSchedule();
        builder.AddGitHubSyncWorkers();
        builder.AddBlastRadiusWorker();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Ctrl+C stops the app within seconds: open Blazor circuits (WebSockets) and requests still in flight would otherwise
        // hold the shutdown for the host's default 30 s. Background services stop on their cancellation token well before.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        // Masks carry "…": emit it as a character, not &#x2026; (markup characters stay encoded).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddMudServices();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealth();
        builder.Services.AddHostedService<FactsRefresher>();
        builder.Services.AddLedHostedService<HistoryRecorder>();
        return builder;
    }

    public static async Task UseGovernanceDashboardAsync(this WebApplication app)
    {
        await app.Services.MigrateGovernanceStoreAsync();
        // A process killed mid-import cannot delete its spooled upload: the next start does (unreadable anyway, its key is gone).
        app.Services.GetRequiredService<UploadSpool>().ClearLeftovers();
        await app.Services.GetRequiredService<DemoSeeder>().SeedOnFirstStartAsync(app.Configuration, app.Environment, app.Logger);
        app.LogSignInModes();

        app.UseProxySupport();
        app.UseSecurityHeaders(app.Configuration);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }
        // People get a page for a wrong address; API clients keep their bare status codes.
        app.UseWhen(ctx => HttpMethods.IsGet(ctx.Request.Method) && !ctx.Request.Path.StartsWithSegments("/api"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing after the status-code pages, so a re-executed request finds its (anonymous) page.
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapSignIn();
        app.MapHealth();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapGovernanceApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
