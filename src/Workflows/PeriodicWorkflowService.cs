namespace GovernanceDashboard.Workflows;

/// <summary>How often the workflow background services run (<c>Workflows:IntervalSeconds</c>, <c>Workflows:MailIntervalSeconds</c>).</summary>
public sealed class WorkflowScheduleOptions
{
    public int IntervalSeconds { get; set; } = 300;
    public int MailIntervalSeconds { get; set; } = 60;

    /// <summary>The workflow round's interval (at least a second).</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(Math.Max(1, IntervalSeconds));

    /// <summary>The mail round's interval (at least a second).</summary>
    public TimeSpan MailInterval => TimeSpan.FromSeconds(Math.Max(1, MailIntervalSeconds));
}

/// <summary>A background service that does its work in <see cref="RunOnceAsync"/> on a timer; tests call that method with their own clock.</summary>
public abstract class PeriodicWorkflowService(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    /// <summary>When set (the dashboard's schedules), a round runs only in the instance holding the workflow lead.</summary>
    public Data.WorkflowLeader? Leader { get; set; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>Does whatever is due at <paramref name="now"/>; returns how many items it changed.</summary>
    public abstract Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first run waits one interval: start-up (migration, demo seeding) is not disturbed, and short-lived hosts never run it.
        using var timer = new PeriodicTimer(Interval, Clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                if (Leader is not null && !await Leader.IsLeaderAsync(stoppingToken)) continue;
                var changed = await RunOnceAsync(Clock.GetUtcNow(), stoppingToken);
                if (changed > 0) logger.LogInformation("{Service}: {Count} item(s) handled.", GetType().Name, changed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failed round must not stop the schedule; the next round retries what is still due.
                logger.LogError(ex, "{Service} failed; it runs again in {Interval}.", GetType().Name, Interval);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>What every <see cref="StoreWorkflowService"/> is built from: one registration rather than the same four
/// constructor parameters on each workflow.</summary>
public sealed class StoreWorkflowDependencies(IDbContextFactory<GovernanceDbContext> dbFactory, IOptions<WorkflowScheduleOptions> schedule,
    TimeProvider clock, ILoggerFactory loggers)
{
    public IDbContextFactory<GovernanceDbContext> DbFactory { get; } = dbFactory;
    public IOptions<WorkflowScheduleOptions> Schedule { get; } = schedule;
    public TimeProvider Clock { get; } = clock;

    // One category for the store workflows: each log line names its service.
    public ILogger Logger { get; } = loggers.CreateLogger<StoreWorkflowService>();
}

/// <summary>A workflow over the store on the workflow schedule (grant expiry, request escalation, attestation reminders,
/// risk acceptance expiry, SLA breaches): each round runs in a context of its own with the settings as they are then, under
/// the audit lock because a round audits what it changes and the chain is written one entry at a time.</summary>
public abstract class StoreWorkflowService(StoreWorkflowDependencies dependencies) : PeriodicWorkflowService(dependencies.Clock, dependencies.Logger)
{
    protected override TimeSpan Interval => dependencies.Schedule.Value.Interval;

    public override Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default) => AuditTrail.WithLockAsync(() => RoundAsync(now, ct), ct);

    /// <summary>One round in a context of its own, without the lock (for a workflow that audits nothing).</summary>
    protected async Task<int> RoundAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dependencies.DbFactory.CreateDbContextAsync(ct);
        var settings = await GovernanceSettings.LoadAsync(db, ct);
        return await RunAsync(db, settings, now, ct);
    }

    /// <summary>Does whatever is due at <paramref name="now"/> in <paramref name="db"/>; returns how many items it changed.</summary>
    protected abstract Task<int> RunAsync(GovernanceDbContext db, GovernanceSettings settings, DateTimeOffset now, CancellationToken ct);
}
