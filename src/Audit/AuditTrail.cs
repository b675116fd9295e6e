using Microsoft.EntityFrameworkCore.Infrastructure;

namespace GovernanceDashboard.Audit;

/// <summary>The append-only audit trail: each event carries the hash of the one before it, keyed by <see cref="AuditChain"/>.</summary>
public static class AuditTrail
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    // Appends from one process are serialised so that two writers never chain onto the same event.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Adds an event to the context; the caller's SaveChanges writes it together with the change it records.</summary>
    public static async Task<AuditEvent> AppendAsync(GovernanceDbContext db, string actor, string kind, string? subject,
        object? before = null, object? after = null, DateTimeOffset? at = null, CancellationToken ct = default)
    {
        var pending = db.ChangeTracker.Entries<AuditEvent>()
            .Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .OrderByDescending(e => e.Id).FirstOrDefault();
        var last = pending ?? await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).FirstOrDefaultAsync(ct);
        var evt = new AuditEvent
        {
            Id = (last?.Id ?? 0) + 1,
            At = at ?? DateTimeOffset.UtcNow,
            Actor = actor,
            Kind = kind,
            Subject = subject,
            Before = Serialize(before),
            After = Serialize(after),
            PreviousHash = last?.Hash ?? GenesisHash,
            Hash = "",
        };
        // The stored instant has millisecond precision: hash what will be read back.
        evt.At = DateTimeOffset.FromUnixTimeMilliseconds(evt.At.ToUnixTimeMilliseconds());
        evt.Hash = ChainOf(db).Sign(evt, last?.Id ?? 0, evt.PreviousHash);
        db.AuditEvents.Add(evt);
        return evt;
    }

    /// <summary>Appends one event and saves it on its own (sign-ins, settings, anything without another change to save).</summary>
    public static async Task RecordAsync(IDbContextFactory<GovernanceDbContext> factory, string actor, string kind,
        string? subject, object? before = null, object? after = null, CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            // The writer lock before reading the last event (BEGIN IMMEDIATE on SQLite): another process appending at the
            // same moment (a command-line import) then cannot chain onto the same event.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AppendAsync(db, actor, kind, subject, before, after, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs a change and its audit events under the trail's lock, so concurrent writers chain in order.</summary>
    public static async Task<T> WithLockAsync<T>(Func<Task<T>> work, CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The key of the PostgreSQL advisory lock that serialises appends to the chain across instances.</summary>
    public const long ChainLockKey = 0x4155_4449_5443_4841; // "AUDITCHA"

    /// <summary>PostgreSQL, where several instances append: inside the saving transaction, takes the chain's database lock
    /// (held to commit) and chains the events being added onto the newest committed one. The per-process gate and the
    /// numbers given by <see cref="AppendAsync"/> only hold within one instance; this makes them hold across instances.</summary>
    internal static async Task ChainUnderDatabaseLockAsync(GovernanceDbContext db, CancellationToken ct)
    {
        var added = db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderBy(e => e.Id).ToList();
        if (added.Count == 0) return;
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [ChainLockKey], ct);
        var last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
        var (lastId, lastHash) = (last?.Id ?? 0, last?.Hash ?? GenesisHash);
        if (added[0].Id == lastId + 1 && added[0].PreviousHash == lastHash) return;
        // Another instance appended since these were numbered: renumber and re-sign them after its events.
        var chain = ChainOf(db);
        foreach (var e in added) db.Entry(e).State = EntityState.Detached;
        foreach (var e in added)
        {
            e.Id = lastId + 1;
            e.PreviousHash = lastHash;
            e.Hash = chain.Sign(e, lastId, lastHash);
            (lastId, lastHash) = (e.Id, e.Hash);
            db.AuditEvents.Add(e);
        }
    }

    /// <summary>The unkeyed SHA-256 of an event: the scheme of events written before the store had its chain key.</summary>
    public static string HashOf(AuditEvent e) => Convert.ToHexStringLower(SHA256.HashData(CanonicalBytes(e)));

    internal static byte[] CanonicalBytes(AuditEvent e) => Encoding.UTF8.GetBytes(string.Join('\u001f',
        e.Id.ToString(CultureInfo.InvariantCulture),
        e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        e.Actor, e.Kind, e.Subject ?? "", e.Before ?? "", e.After ?? "", e.PreviousHash));

    /// <summary>The chain of the store this context belongs to (registered as its interceptor by the data registration).</summary>
    internal static AuditChain ChainOf(GovernanceDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<AuditChain>().FirstOrDefault()
        ?? throw new InvalidOperationException("This store has no audit chain: register it with AddGovernanceData and AddAuditTrail.");

    /// <summary>Walks the chain; returns null when intact, or a description of the first broken event. Events from the key's
    /// first event on must carry its HMAC, earlier ones their unkeyed hash; the trail must reach the head anchored outside
    /// the database and agree with it.</summary>
    public static async Task<AuditBreak?> VerifyAsync(GovernanceDbContext db, CancellationToken ct = default)
    {
        var chain = ChainOf(db);
        var key = chain.ReadKey();
        var head = chain.ReadHead();
        var expectedPrevious = GenesisHash;
        long expectedId = 1;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Id != expectedId)
                return new AuditBreak(expectedId, $"event {expectedId} is missing (the next event is {e.Id})");
            if (e.PreviousHash != expectedPrevious)
                return new AuditBreak(e.Id, $"event {e.Id} does not follow event {e.Id - 1}: its previous-hash does not match");
            var keyed = key is not null && e.Id >= key.KeyedFrom;
            if ((keyed ? AuditChain.KeyedHashOf(e, key!.Key) : HashOf(e)) != e.Hash)
                return new AuditBreak(e.Id, keyed
                    ? $"event {e.Id} ({e.Kind} by {e.Actor} at {e.At:O}) was edited or its hash recomputed without the audit key: its HMAC does not match"
                    : $"event {e.Id} ({e.Kind} by {e.Actor} at {e.At:O}) was edited: its content does not match its hash");
            if (head is not null && e.Id == head.Seq && e.Hash != head.Hash)
                return new AuditBreak(e.Id, $"event {e.Id} is not the event anchored in {chain.HeadPath}: its hash differs from the head's");
            expectedPrevious = e.Hash;
            expectedId++;
        }
        var last = expectedId - 1;
        if (head is null && key is not null)
            return new AuditBreak(last, $"the head file {chain.HeadPath} is missing: deleted newest events could not be detected");
        if (head is not null && head.Seq > last)
            return new AuditBreak(last + 1, last == 0
                ? $"the trail is empty but the head anchored in {chain.HeadPath} records event {head.Seq}: events were deleted"
                : $"the trail ends at event {last} but the head anchored in {chain.HeadPath} records event {head.Seq}: the newest events were deleted");
        return null;
    }

    private static string? Serialize(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(value, JsonOptions),
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The first event at which the audit chain is broken.</summary>
public sealed record AuditBreak(long EventId, string Description);
