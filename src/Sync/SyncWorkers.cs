namespace GovernanceDashboard.Sync;

/// <summary>Works off the webhook queue in the dashboard process: woken when a delivery is queued here, polling for retries and for
/// what a restart left queued (a delivery received before a crash is processed at the next start).</summary>
public sealed class DeliveryWorker(DeliveryQueue queue, DeliverySignal signal, TimeProvider clock, ILogger<DeliveryWorker> log)
    : QueueWorker(signal, clock, log)
{
    protected override TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(5);

    protected override Task ProcessDueAsync(CancellationToken ct) => queue.ProcessDueAsync(ct);

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => queue.NextDueAsync(ct);
}

/// <summary>Pulls the configured organisations' alerts at start and every <c>Sync:IntervalMinutes</c> (when the app and at least one
/// organisation are configured): it catches whatever no webhook told of (deliveries lost, the dashboard down).</summary>
public sealed class PullScheduler(AlertPuller puller, GitHubAppConnection gitHub, IConfiguration configuration, TimeProvider clock,
    ILogger<PullScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = SyncOptions.From(configuration);
        if (options.IntervalMinutes <= 0 || options.Organizations.Count == 0 || gitHub.Options.Missing() is not null) return;
        var interval = TimeSpan.FromMinutes(options.IntervalMinutes);
        while (!stoppingToken.IsCancellationRequested)
        {
            var retryAt = await GitHubRounds.RunAsync(() => puller.PullAsync(ct: stoppingToken), log, "Scheduled GitHub alert pull");
            var untilRetry = retryAt - clock.GetUtcNow();
            var wait = untilRetry > interval ? untilRetry.Value : interval;
            if (!await GitHubRounds.WaitAsync(wait, clock, stoppingToken)) return;
        }
    }
}

/// <summary>One round of a scheduled GitHub job, the same way for each: a rate limit or a failure is logged (the organisation's state
/// records it for the Imports page) and the job goes on at its next round.</summary>
internal static class GitHubRounds
{
    /// <summary>Runs <paramref name="round"/>; returns GitHub's time to wait for when it rate-limited the round.</summary>
    public static async Task<DateTimeOffset?> RunAsync(Func<Task> round, ILogger log, string what)
    {
        try
        {
            await round();
            return null;
        }
        catch (GitHubRateLimitedException ex)
        {
            log.LogWarning("{What}: {Error}", what, ex.Message);
            return ex.RetryAt;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError("{What} failed: {Error}", what, ex.Message);
            return null;
        }
    }

    /// <summary>Waits until the next round; false when the service is stopping.</summary>
    public static async Task<bool> WaitAsync(TimeSpan wait, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            await Task.Delay(wait, clock, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
