using GovernanceDashboard.Platforms.GitHubApp;

namespace GovernanceDashboard.Sync;

/// <summary>Works off the webhook queue in the dashboard process: woken when a delivery is queued here, polling for retries and for
/// what a restart left queued (a delivery received before a crash is processed at the next start).</summary>
public sealed class DeliveryWorker(DeliveryQueue queue, DeliverySignal signal, TimeProvider clock, ILogger<DeliveryWorker> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Poll;
            try
            {
                await queue.ProcessDueAsync(stoppingToken);
                if (await queue.NextDueAsync(stoppingToken) is { } next && next - clock.GetUtcNow() < wait)
                    wait = next - clock.GetUtcNow() is var until && until > TimeSpan.FromMilliseconds(50) ? until : TimeSpan.FromMilliseconds(50);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store was busy: the queue is intact, the next round tries again.
                log.LogError(ex, "GitHub webhook worker round failed; retrying in {Wait}.", wait);
            }
            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
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
