namespace GovernanceDashboard.Sync;

/// <summary>Registers the alert sync: the services everywhere (the <c>sync alerts</c> verb pulls too), the workers in the dashboard only.</summary>
public static class SyncRegistration
{
    public static IHostApplicationBuilder AddGitHubSync(this IHostApplicationBuilder builder)
    {
        builder.AddGitHubApp();
        builder.Services.AddSingleton<AlertIngestion>();
        builder.Services.AddSingleton<AlertPuller>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<WebhookCounters>();
        builder.Services.AddSingleton<WebhookReceiver>();
        builder.Services.AddSingleton<DeliveryQueue>();
        builder.Services.AddSingleton<SyncStatus>();
        builder.AddGitHubOrgSync();
        return builder;
    }

    public static IHostApplicationBuilder AddGitHubSyncWorkers(this IHostApplicationBuilder builder)
    {
        // Deliveries are queued in the store by whichever instance GitHub reached; the leading instance works them off and pulls.
        builder.Services.AddLedHostedService<DeliveryWorker>();
        builder.Services.AddLedHostedService<PullScheduler>();
        builder.AddGitHubOrgSyncWorker();
        return builder;
    }
}
