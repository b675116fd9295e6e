namespace GovernanceDashboard.Sync;

/// <summary>How a webhook delivery was answered.</summary>
public enum WebhookOutcome { Queued, Replayed, Ignored, BadSignature, BadRequest, TooLarge }

/// <summary>Receives GitHub's <c>secret_scanning_alert</c> and <c>secret_scanning_alert_location</c> deliveries: the signature is
/// checked on the raw body before anything is read from it, the delivery is queued in the store (one row per
/// <c>X-GitHub-Delivery</c>) and the worker woken; the alert itself is fetched by the worker, so the answer is immediate.</summary>
public sealed class WebhookReceiver(IDbContextFactory<GovernanceDbContext> dbFactory, IConfiguration configuration, DeliverySignal signal,
    WebhookCounters counters, TimeProvider clock, ILogger<WebhookReceiver> log)
{
    /// <summary>The largest body read (secret scanning payloads are a few KB; GitHub caps any payload at 25 MB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    private static readonly Dictionary<string, HashSet<string>> Handled = new(StringComparer.Ordinal)
    {
        ["secret_scanning_alert"] = new(StringComparer.Ordinal) { "created", "reopened", "resolved", "revoked", "validated", "publicly_leaked", "assigned" },
        ["secret_scanning_alert_location"] = new(StringComparer.Ordinal) { "created" },
    };

    /// <summary>Checks, parses and queues one delivery; <paramref name="body"/> is the raw request body.</summary>
    public async Task<WebhookOutcome> ReceiveAsync(byte[] body, string? signature, string? eventName, string? deliveryId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var receivedAt = clock.GetUtcNow();
        if (!SignatureMatches(body, signature, SyncOptions.From(configuration).WebhookSecret))
        {
            counters.Rejected(receivedAt);
            // The delivery id only: the body is the sender's, and an unsigned sender's at that.
            log.LogWarning("GitHub webhook delivery {DeliveryId} refused: bad or missing signature.", Logging.LogValue.Clean(deliveryId));
            return WebhookOutcome.BadSignature;
        }
        counters.Received(receivedAt);
        if (deliveryId is not { Length: > 0 and <= 100 } || eventName is null) return WebhookOutcome.BadRequest;
        if (!Handled.TryGetValue(eventName, out var actions)) return WebhookOutcome.Ignored;

        string? action, repository;
        long number;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            action = Text(root, "action");
            repository = root.TryGetProperty("repository", out var repo) && repo.ValueKind == JsonValueKind.Object ? Text(repo, "full_name") : null;
            number = root.TryGetProperty("alert", out var alert) && alert.ValueKind == JsonValueKind.Object
                && alert.TryGetProperty("number", out var n) && n.TryGetInt64(out var value) ? value : 0;
        }
        catch (JsonException)
        {
            return WebhookOutcome.BadRequest;
        }
        if (action is null || !actions.Contains(action)) return WebhookOutcome.Ignored;
        if (number <= 0 || !SyncOptions.IsValidRepository(repository)) return WebhookOutcome.BadRequest;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.WebhookDeliveries.AnyAsync(d => d.DeliveryId == deliveryId, ct)) return WebhookOutcome.Replayed;
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            DeliveryId = deliveryId, Event = eventName, Action = action, Repository = repository!, AlertNumber = number,
            ReceivedAt = receivedAt, State = DeliveryState.Queued, NextAttemptAt = receivedAt,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var check = await dbFactory.CreateDbContextAsync(ct);
            // The same delivery arrived twice at once: the unique index kept one.
            if (await check.WebhookDeliveries.AnyAsync(d => d.DeliveryId == deliveryId, ct)) return WebhookOutcome.Replayed;
            throw;
        }
        signal.Notify();
        return WebhookOutcome.Queued;
    }

    /// <summary><c>X-Hub-Signature-256: sha256=HEX</c>, the HMAC-SHA-256 of the raw body with the shared secret, compared in constant
    /// time. No secret configured: nothing matches.</summary>
    public static bool SignatureMatches(ReadOnlySpan<byte> body, string? header, string? secret)
    {
        const string prefix = "sha256=";
        if (string.IsNullOrEmpty(secret) || header is null || !header.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var hex = header.AsSpan(prefix.Length).Trim();
        if (hex.Length != 2 * HMACSHA256.HashSizeInBytes) return false;
        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(hex, claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != claimed.Length) return false;
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(claimed, expected);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>What the Imports page says about deliveries that never reach the store: counted in memory since the start (a refused
/// delivery writes nothing, so an unsigned flood cannot fill the store).</summary>
public sealed class WebhookCounters
{
    private long _rejected;
    private long _lastRejectedTicks;
    private long _lastReceivedTicks;

    public long RejectedSinceStart => Interlocked.Read(ref _rejected);

    public DateTimeOffset? LastRejectedAt => Ticks(Interlocked.Read(ref _lastRejectedTicks));

    /// <summary>The last correctly signed delivery, whatever became of it.</summary>
    public DateTimeOffset? LastReceivedAt => Ticks(Interlocked.Read(ref _lastReceivedTicks));

    internal void Rejected(DateTimeOffset at)
    {
        Interlocked.Increment(ref _rejected);
        Interlocked.Exchange(ref _lastRejectedTicks, at.UtcTicks);
    }

    internal void Received(DateTimeOffset at) => Interlocked.Exchange(ref _lastReceivedTicks, at.UtcTicks);

    private static DateTimeOffset? Ticks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
