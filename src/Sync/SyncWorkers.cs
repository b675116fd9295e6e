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
            var wait = interval;
            try
            {
                await puller.PullAsync(ct: stoppingToken);
            }
            catch (GitHubRateLimitedException ex)
            {
                var until = ex.RetryAt - clock.GetUtcNow();
                if (until > wait) wait = until;
                log.LogWarning("Scheduled GitHub alert pull: {Error}", ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Recorded with the organisation's state for the Imports page; the next interval tries again.
                log.LogError("Scheduled GitHub alert pull failed: {Error}", ex.Message);
            }
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
