using System.Net;

namespace GovernanceDashboard.Sync;

/// <summary>Works off the queued webhook deliveries: claims one, fetches its alert
/// (<c>GET /repos/{owner}/{repo}/secret-scanning/alerts/{number}</c>, with the secret) with the installation token and ingests it.</summary>
/// <remarks>At least once, exactly once in effect: a claim moves the delivery's next attempt past the work's longest duration, so a
/// process that dies mid-way leaves it to be taken again, and ingesting the same alert twice adds nothing. GitHub unreachable or
/// rate limited: the delivery waits (backoff, or GitHub's retry-after) and keeps its place; only an alert GitHub no longer has is
/// given up.</remarks>
public sealed class DeliveryQueue(IDbContextFactory<GovernanceDbContext> dbFactory, GitHubAppConnection gitHub, AlertIngestion ingestion,
    TimeProvider clock, ILogger<DeliveryQueue> log)
{
    /// <summary>How long a claim holds: longer than a fetch (with its retries) and an import of one alert.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Processes due deliveries one after another until none is due or GitHub asks to wait; returns how many were ingested.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct = default)
    {
        var done = 0;
        while (await ClaimAsync(ct) is { } delivery)
        {
            var outcome = await ProcessAsync(delivery, ct);
            if (outcome == Step.Ingested) done++;
            // GitHub is down or asked us to wait: the other deliveries would meet the same answer.
            if (outcome == Step.Wait) break;
        }
        return done;
    }

    /// <summary>When the next delivery falls due (null: none waits), for the worker's sleep.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.State == DeliveryState.Queued)
            .OrderBy(d => d.NextAttemptAt).Select(d => (DateTimeOffset?)d.NextAttemptAt).FirstOrDefaultAsync(ct);
    }

    private enum Step { Ingested, GivenUp, Wait }

    private async Task<WebhookDelivery?> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var due = await db.WebhookDeliveries.AsNoTracking().Where(d => d.State == DeliveryState.Queued && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).FirstOrDefaultAsync(ct);
            if (due is null) return null;
            // Taken only if nobody claimed it since it was read (another worker, another process).
            var claimed = await db.WebhookDeliveries.Where(d => d.Id == due.Id && d.State == DeliveryState.Queued && d.NextAttemptAt == due.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, now + Lease).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
            if (claimed == 1) return due;
        }
    }

    private async Task<Step> ProcessAsync(WebhookDelivery delivery, CancellationToken ct)
    {
        var attempts = delivery.Attempts + 1;
        try
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"repos/{delivery.Repository}/secret-scanning/alerts/{delivery.AlertNumber}");
            using var response = await gitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return await FinishAsync(delivery, DeliveryState.Failed, "GitHub no longer has this alert (HTTP 404).", null, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                return await RetryAsync(delivery, attempts, $"GitHub answered HTTP {(int)response.StatusCode}: {await GitHubAppConnection.ReasonAsync(response, ct)}", null, ct);
            var alert = await response.Content.ReadAsByteArrayAsync(ct);
            // The single alert as a one-element list: the shape of the alerts file the ingestion reads.
            var list = new byte[alert.Length + 2];
            list[0] = (byte)'[';
            alert.CopyTo(list, 1);
            list[^1] = (byte)']';
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(alert);
            var summary = await ingestion.IngestAsync(list, $"github webhook {delivery.DeliveryId}", ct);
            await RecordArrivalAsync(delivery, summary.ImportId, ct);
            return await FinishAsync(delivery, DeliveryState.Done, null, summary.ImportId, ct);
        }
        catch (GitHubRateLimitedException ex)
        {
            return await RetryAsync(delivery, attempts, ex.Message, ex.RetryAt, ct);
        }
        catch (GitHubConfigurationException ex)
        {
            // An operator fixes the app; the delivery waits for it.
            return await RetryAsync(delivery, attempts, ex.Message, null, ct);
        }
        catch (ImportRejectedException ex)
        {
            return await FinishAsync(delivery, DeliveryState.Failed, "The alert could not be imported: " + ex.Message, null, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException or System.Text.Json.JsonException
            or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException && !ct.IsCancellationRequested)
        {
            return await RetryAsync(delivery, attempts, "GitHub could not be reached: " + ex.Message, null, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The host is stopping: give the claim back, so the next start takes the delivery at once rather than after the lease.
            await ReleaseAsync(delivery);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything else (the store busy, an import that failed): the delivery keeps its place and retries with backoff.
            return await RetryAsync(delivery, attempts, $"{ex.GetType().Name}: {ex.Message}", null, ct);
        }
    }

    private async Task ReleaseAsync(WebhookDelivery delivery)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.State == DeliveryState.Queued)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAt, delivery.NextAttemptAt), CancellationToken.None);
    }

    /// <summary>The automatic revocations this delivery's alert queued learn when the webhook arrived: the Exposures list and the
    /// token page show how long it took from GitHub's push to the revocation request.</summary>
    private async Task RecordArrivalAsync(WebhookDelivery delivery, int importId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = db.Occurrences.Where(o => o.ImportId == importId).Select(o => o.TokenId);
        await db.RevocationRequests.Where(r => r.AlertReceivedAt == null && r.RequestedBy == RevocationService.AutomaticActor
                && r.CreatedAt >= delivery.ReceivedAt && tokens.Contains(r.TokenId))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.AlertReceivedAt, delivery.ReceivedAt), ct);
    }

    private async Task<Step> FinishAsync(WebhookDelivery delivery, DeliveryState state, string? error, int? importId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.State, state).SetProperty(d => d.ProcessedAt, now).SetProperty(d => d.LastError, Cut(error))
            .SetProperty(d => d.ImportId, importId), CancellationToken.None);
        if (error is not null)
            log.LogWarning("GitHub webhook delivery {DeliveryId} ({Repository}#{Number}) given up: {Error}", Logging.LogValue.Clean(delivery.DeliveryId), delivery.Repository, delivery.AlertNumber, error);
        return state == DeliveryState.Done ? Step.Ingested : Step.GivenUp;
    }

    private async Task<Step> RetryAsync(WebhookDelivery delivery, int attempts, string error, DateTimeOffset? at, CancellationToken ct)
    {
        var next = at ?? clock.GetUtcNow() + RevocationService.Backoff(attempts);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.NextAttemptAt, next).SetProperty(d => d.LastError, Cut(error)), CancellationToken.None);
        log.LogWarning("GitHub webhook delivery {DeliveryId}: {Error}; next attempt at {Next:u}.", Logging.LogValue.Clean(delivery.DeliveryId), error, next);
        return Step.Wait;
    }

    private static string? Cut(string? text) => text is { Length: > 500 } ? text[..500] : text;
}

/// <summary>Wakes the delivery worker as soon as a delivery is queued in this process; deliveries queued elsewhere are found by
/// polling.</summary>
public sealed class DeliverySignal : WakeSignal;
