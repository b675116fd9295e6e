namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>How the revocation worker polls (<c>Remediation:PollSeconds</c>) and the validation pass runs.</summary>
public sealed class RemediationOptions
{
    /// <summary>How often the worker looks at the queue when nothing woke it (imports by another process, retries).</summary>
    public double PollSeconds { get; set; } = 5;

    public ValidationOptions Validation { get; set; } = new();

    public TimeSpan PollInterval => TimeSpan.FromSeconds(Math.Max(0.2, PollSeconds));
}

/// <summary><c>Remediation:Validation:*</c>: validation is off unless enabled; checks per minute per platform; the periodic pass.</summary>
public sealed class ValidationOptions
{
    public bool Enabled { get; set; }
    public int PerMinute { get; set; } = 30;

    /// <summary>How often, when enabled, open exposures with an escrowed value are checked (0: never).</summary>
    public double IntervalMinutes { get; set; } = 60;

    /// <summary>The most tokens one periodic pass checks.</summary>
    public int MaxPerPass { get; set; } = 100;
}

/// <summary>Sends queued revocations from the dashboard process: woken at once by <see cref="RevocationSignal"/> when this process
/// queues something, and polling the table for what another process queued and for retries that fell due.</summary>
public sealed class RevocationWorker(RevocationService revocations, RevocationSignal signal, Microsoft.Extensions.Options.IOptions<RemediationOptions> options,
    TimeProvider clock, ILogger<RevocationWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // What was queued or claimed before a restart is due now (or when its claim lapses): the first round looks at once.
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                await revocations.SendDueAsync(clock.GetUtcNow(), ct: stoppingToken);
                if (await revocations.NextDueAsync(stoppingToken) is { } next)
                {
                    var until = next - clock.GetUtcNow();
                    if (until < wait) wait = until < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : until;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store was busy or the disk full: the queue is intact, the next round tries again.
                log.LogError(ex, "Revocation worker round failed; retrying in {Wait}.", wait);
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
