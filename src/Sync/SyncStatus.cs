namespace GovernanceDashboard.Sync;

/// <summary>The GitHub connection as the Imports page shows it.</summary>
public sealed record SyncView(bool Configured, string? NotConfiguredReason, IReadOnlyList<string> Organizations, IReadOnlyList<GitHubSyncState> Pulls,
    DateTimeOffset? LastWebhookAt, int DeliveriesQueued, int DeliveriesFailed, long RejectedSinceStart, DateTimeOffset? LastRejectedAt,
    IReadOnlyList<string> Errors, IReadOnlyList<GitHubOrgSyncState> OrgSyncs, int DecisionsWaiting, int RevocationsWaiting);

public sealed class SyncStatus(IDbContextFactory<GovernanceDbContext> dbFactory, GitHubAppConnection gitHub, IConfiguration configuration, WebhookCounters counters)
{
    public async Task<SyncView> ReadAsync(CancellationToken ct = default)
    {
        var options = SyncOptions.From(configuration);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pulls = await db.GitHubSyncStates.AsNoTracking().OrderBy(s => s.Organization).ToListAsync(ct);
        var lastStored = await db.WebhookDeliveries.AsNoTracking().MaxAsync(d => (DateTimeOffset?)d.ReceivedAt, ct);
        var queued = await db.WebhookDeliveries.CountAsync(d => d.State == DeliveryState.Queued, ct);
        var failed = await db.WebhookDeliveries.CountAsync(d => d.State == DeliveryState.Failed, ct);
        var deliveryErrors = await db.WebhookDeliveries.AsNoTracking().Where(d => d.LastError != null && d.State != DeliveryState.Done)
            .OrderByDescending(d => d.Id).Take(5).Select(d => new { d.DeliveryId, d.Repository, d.AlertNumber, d.LastError }).ToListAsync(ct);
        var orgSyncs = await db.GitHubOrgSyncStates.AsNoTracking().OrderBy(s => s.Organization).ToListAsync(ct);
        var decisionsWaiting = await db.GitHubPatRequests.CountAsync(r => r.State == PatRequestState.Queued, ct);
        var revocationsWaiting = await db.GitHubOrgTokens.CountAsync(r => r.RevokeRequestedAt != null && r.RevokeSentAt == null && r.GoneAt == null, ct);
        var errors = pulls.Where(p => p.LastError != null).Select(p => $"Pull of {p.Organization} ({p.LastErrorAt:yyyy-MM-dd HH:mm} UTC): {p.LastError}")
            .Concat(orgSyncs.Where(o => o.LastError != null).Select(o => $"Organisation sync of {o.Organization} ({o.LastErrorAt:yyyy-MM-dd HH:mm} UTC): {o.LastError}"))
            .Concat(deliveryErrors.Select(d => $"Delivery {d.DeliveryId} ({d.Repository}#{d.AlertNumber}): {d.LastError}")).ToList();
        var missing = gitHub.Options.Missing() ?? (options.WebhookSecret is null ? "GitHub:WebhookSecret is not set: every webhook delivery is refused." : null);
        var lastWebhook = counters.LastReceivedAt is { } seen && (lastStored is null || seen > lastStored) ? seen : lastStored;
        return new SyncView(gitHub.Options.Missing() is null, missing, options.Organizations, pulls, lastWebhook, queued, failed,
            counters.RejectedSinceStart, counters.LastRejectedAt, errors, orgSyncs, decisionsWaiting, revocationsWaiting);
    }
}
