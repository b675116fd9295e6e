namespace GovernanceDashboard.Workflows;

/// <summary>Runs a background worker (revocations, validation, history, GitHub sync) only in the instance that holds the workflow
/// lead (<see cref="WorkflowLeader"/>): several dashboard instances on one PostgreSQL store would otherwise send every revocation,
/// pull every organisation and record every day once per instance. On SQLite the one process always leads, so the worker starts at once.</summary>
/// <remarks>The lead is checked at start and then every <c>Workflows:IntervalSeconds</c>: an instance that takes it over starts the
/// worker, one that lost it (its lock connection gone) stops the worker, since another instance may hold it now.</remarks>
public sealed class LedHostedService<T>(T worker, WorkflowLeader leader, IOptions<WorkflowScheduleOptions> schedule, TimeProvider clock,
    ILogger<LedHostedService<T>> log) : BackgroundService where T : class, IHostedService
{
    /// <summary>Whether the worker runs in this instance now.</summary>
    public bool Running { get; private set; }

    /// <summary>Checks the lead once, starting or stopping the worker to match; returns whether it runs here. The schedule calls it;
    /// tests call it directly.</summary>
    public async Task<bool> CheckAsync(CancellationToken ct = default)
    {
        bool lead;
        try
        {
            lead = await leader.IsLeaderAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is unreachable: the lock may have gone with it, and another instance may take it; stop rather than run twice.
            log.LogError(ex, "Could not check the workflow lead for {Worker}.", typeof(T).Name);
            lead = false;
        }
        if (lead && !Running)
        {
            // Linked to the caller's token: the host stopping stops the worker too.
            await worker.StartAsync(ct);
            Running = true;
            log.LogInformation("{Worker} runs in this instance (it holds the workflow lead).", typeof(T).Name);
        }
        else if (!lead && Running)
        {
            await worker.StopAsync(CancellationToken.None);
            Running = false;
            log.LogWarning("{Worker} stopped in this instance: it no longer holds the workflow lead.", typeof(T).Name);
        }
        return Running;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await CheckAsync(stoppingToken);
                await Task.Delay(schedule.Value.Interval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!Running) return;
        await worker.StopAsync(cancellationToken);
        Running = false;
    }

    public override void Dispose()
    {
        (worker as IDisposable)?.Dispose();
        base.Dispose();
    }
}

/// <summary>Registers background workers that must run in one instance only.</summary>
public static class LedHostedServiceRegistration
{
    /// <summary>Adds <typeparamref name="T"/> as a background worker that runs only in the instance holding the workflow lead.</summary>
    public static IServiceCollection AddLedHostedService<T>(this IServiceCollection services) where T : class, IHostedService
    {
        // The worker is made for its wrapper alone: registered as a hosted service itself it would run in every instance.
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<LedHostedService<T>>(sp, ActivatorUtilities.CreateInstance<T>(sp)));
        return services;
    }

    /// <summary>Adds the periodic service <typeparamref name="T"/> (a singleton already registered) so that its rounds run only in the
    /// instance holding the workflow lead.</summary>
    public static IServiceCollection AddLedSchedule<T>(this IServiceCollection services) where T : PeriodicWorkflowService
    {
        services.AddHostedService(sp =>
        {
            var service = sp.GetRequiredService<T>();
            service.Leader = sp.GetRequiredService<WorkflowLeader>();
            return service;
        });
        return services;
    }
}
