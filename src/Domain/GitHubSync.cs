namespace GovernanceDashboard.Domain;

/// <summary>Where a webhook delivery stands: waiting for the worker (or its retry), ingested, or given up (the alert is gone).</summary>
public enum DeliveryState { Queued, Done, Failed }

/// <summary>One signed GitHub webhook delivery about a secret scanning alert, queued in the store so that a restart loses none.
/// Only what the worker needs is kept — the repository and the alert number —, never the body (the alert itself is fetched).</summary>
public class WebhookDelivery
{
    public long Id { get; set; }

    /// <summary>GitHub's <c>X-GitHub-Delivery</c> (unique: a replay adds nothing).</summary>
    public required string DeliveryId { get; set; }
    public required string Event { get; set; }
    public required string Action { get; set; }

    /// <summary>"owner/repo".</summary>
    public required string Repository { get; set; }
    public long AlertNumber { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DeliveryState State { get; set; }
    public int Attempts { get; set; }

    /// <summary>Not before this instant: a retry's backoff, GitHub's retry-after, or a worker's claim.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>The import that ingested the fetched alert.</summary>
    public int? ImportId { get; set; }
}

/// <summary>The pull's state for one organisation: the high-water mark (the newest <c>updated_at</c> ingested) and the last
/// pull's outcome, for the Imports page.</summary>
public class GitHubSyncState
{
    public required string Organization { get; set; }
    public DateTimeOffset? HighWaterMark { get; set; }
    public DateTimeOffset? LastPullAt { get; set; }
    public int LastPullAlerts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
}
