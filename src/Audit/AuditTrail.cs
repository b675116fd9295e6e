using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Audit;

/// <summary>The append-only audit trail: each event carries the hash of the one before it.</summary>
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
        evt.Hash = HashOf(evt);
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
            await AppendAsync(db, actor, kind, subject, before, after, ct: ct);
            await db.SaveChangesAsync(ct);
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

    public static string HashOf(AuditEvent e)
    {
        var canonical = string.Join('\u001f',
            e.Id.ToString(CultureInfo.InvariantCulture),
            e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            e.Actor, e.Kind, e.Subject ?? "", e.Before ?? "", e.After ?? "", e.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Walks the chain; returns null when intact, or a description of the first broken event.</summary>
    public static async Task<AuditBreak?> VerifyAsync(GovernanceDbContext db, CancellationToken ct = default)
    {
        var expectedPrevious = GenesisHash;
        long expectedId = 1;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Id != expectedId)
                return new AuditBreak(expectedId, $"event {expectedId} is missing (the next event is {e.Id})");
            if (e.PreviousHash != expectedPrevious)
                return new AuditBreak(e.Id, $"event {e.Id} does not follow event {e.Id - 1}: its previous-hash does not match");
            if (HashOf(e) != e.Hash)
                return new AuditBreak(e.Id, $"event {e.Id} ({e.Kind} by {e.Actor} at {e.At:O}) was edited: its content does not match its hash");
            expectedPrevious = e.Hash;
            expectedId++;
        }
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
