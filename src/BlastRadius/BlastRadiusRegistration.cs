using Microsoft.Extensions.Http.Resilience;

namespace GovernanceDashboard.BlastRadius;

/// <summary>Registers the blast radius: the readers and the service everywhere, the periodic pass in the dashboard only.</summary>
public static class BlastRadiusRegistration
{
    public static IHostApplicationBuilder AddBlastRadius(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<BlastRadiusOptions>(builder.Configuration.GetSection("BlastRadius"));
        var http = builder.Configuration.GetSection("Remediation:Http").Get<PlatformHttpOptions>() ?? new PlatformHttpOptions();
        builder.Services.AddHttpClient<GitHubReachReader>(c =>
            {
                PlatformsRegistration.ConfigureGitHub(c, PlatformsRegistration.BaseUrl(builder.Configuration, "GitHub:ApiBaseUrl", PlatformsRegistration.DefaultGitHubApiBaseUrl));
            })
            .AddStandardResilienceHandler(o => Resilience(o, http));
        builder.Services.AddHttpClient<HuggingFaceReachReader>(c =>
                PlatformsRegistration.Configure(c, PlatformsRegistration.BaseUrl(builder.Configuration, "HuggingFace:BaseUrl", PlatformsRegistration.DefaultHuggingFaceBaseUrl)))
            .AddStandardResilienceHandler(o => Resilience(o, http));
        builder.Services.AddSingleton<BlastRadiusService>();
        return builder;
    }

    /// <summary>The periodic enrichment, in the one instance holding the workflow lead.</summary>
    public static IHostApplicationBuilder AddBlastRadiusWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLedHostedService<ReachWorker>();
        return builder;
    }

    // The platform clients' timeouts and retries, except that a rate limit is never retried here: the reader stops, keeps what it
    // read and the service pauses the platform until its reset, instead of waiting inside a call.
    private static void Resilience(HttpStandardResilienceOptions o, PlatformHttpOptions http)
    {
        PlatformsRegistration.Resilience(o, http);
        var transient = o.Retry.ShouldHandle;
        o.Retry.ShouldHandle = args => args.Outcome.Result is { StatusCode: System.Net.HttpStatusCode.TooManyRequests or System.Net.HttpStatusCode.Forbidden }
            ? ValueTask.FromResult(false)
            : transient(args);
    }
}

/// <summary>The periodic enrichment pass, when <c>BlastRadius:Enabled</c> (the dashboard only).</summary>
public sealed class ReachWorker(BlastRadiusService service, IOptions<BlastRadiusOptions> options, TimeProvider clock, ILogger<ReachWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.IntervalMinutes;
        if (!options.Value.Enabled || interval <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(interval), clock);
        try
        {
            do
            {
                try
                {
                    var n = await service.RunPassAsync(ct: stoppingToken);
                    if (n > 0) log.LogInformation("Reach pass: {Count} token(s) enriched.", n);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Reach pass failed; it runs again in {Interval} minutes.", interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
