namespace GovernanceDashboard.Workflows;

/// <summary>A background loop over a queue kept in the store (revocations, webhook deliveries): works off what is due, then
/// sleeps until the next item falls due, the poll interval passes (work another process queued, what a restart left) or this
/// process's <see cref="WakeSignal"/> wakes it. The first round looks at once, so nothing queued before a restart waits.</summary>
public abstract class QueueWorker(WakeSignal signal, TimeProvider clock, ILogger logger) : BackgroundService
{
    // A due time in the past or a few milliseconds ahead is not worth a timer of its own.
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(50);

    protected TimeProvider Clock { get; } = clock;

    /// <summary>The longest sleep between rounds.</summary>
    protected abstract TimeSpan PollInterval { get; }

    /// <summary>Does what is due now.</summary>
    protected abstract Task ProcessDueAsync(CancellationToken ct);

    /// <summary>When the next queued item falls due, or null when nothing is queued.</summary>
    protected abstract Task<DateTimeOffset?> NextDueAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = PollInterval;
            try
            {
                await ProcessDueAsync(stoppingToken);
                if (await NextDueAsync(stoppingToken) is { } next && next - Clock.GetUtcNow() is var until && until < wait)
                {
                    wait = until < ShortestWait ? ShortestWait : until;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store was busy or the disk full: the queue is intact, the next round tries again.
                logger.LogError(ex, "{Worker} round failed; retrying in {Wait}.", GetType().Name, wait);
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
