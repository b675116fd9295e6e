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
    TimeProvider clock, ILogger<RevocationWorker> log) : QueueWorker(signal, clock, log)
{
    protected override TimeSpan PollInterval => options.Value.PollInterval;

    protected override Task ProcessDueAsync(CancellationToken ct) => revocations.SendDueAsync(Clock.GetUtcNow(), ct: ct);

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => revocations.NextDueAsync(ct);
}
