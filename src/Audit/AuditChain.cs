using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GovernanceDashboard.Audit;

/// <summary>What keeps the audit trail honest outside the database, in <c>Secrets:KeyDirectory</c>: the HMAC key that chains
/// the events (<c>audit-chain.key</c>, with the first event it signs) and the head of the chain (<c>audit-head.json</c>:
/// the newest event's number and hash). Someone who can write the database can neither recompute the chain (no key) nor
/// cut its newest events off (the head still names them).</summary>
/// <remarks>
/// As an EF Core interceptor on every context of the store it moves the head forward once an appended event is committed
/// (after SaveChanges, or after the commit of the caller's transaction), so a rolled-back or killed change never moves it.
/// The dashboard and a command-line import append from two processes: the head is updated under a file lock, only ever
/// forward, and replaced atomically (write and rename). A crash between a commit and the head update leaves the head one
/// event behind, which verification accepts: later events are still checked by their keyed hashes.
/// </remarks>
public sealed class AuditChain : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConditionalWeakTable<DbContext, StrongBox<AuditHead>> _pending = [];
    private readonly ConditionalWeakTable<DbContext, StrongBox<AuditHead>> _saving = [];
    private readonly Lock _sync = new();
    private ChainKey? _key;

    public AuditChain(string keyDirectory)
    {
        Directory = keyDirectory;
        KeyPath = Path.Combine(keyDirectory, "audit-chain.key");
        HeadPath = Path.Combine(keyDirectory, "audit-head.json");
        _lockPath = Path.Combine(keyDirectory, "audit-head.lock");
    }

    public AuditChain(KeyStore keys) : this(keys.Directory)
    {
    }

    private readonly string _lockPath;

    public string Directory { get; }
    public string KeyPath { get; }
    public string HeadPath { get; }

    /// <summary>Creates the key on the first start of a store: events already there keep their unkeyed SHA-256 chain, and
    /// the keyed scheme starts with the next one. Also anchors the head if there is none yet.</summary>
    public async Task InitializeAsync(GovernanceDashboard.Data.GovernanceDbContext db, CancellationToken ct = default)
    {
        var last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new { e.Id, e.Hash }).FirstOrDefaultAsync(ct);
        KeyFor(last?.Id ?? 0, last?.Hash ?? AuditTrail.GenesisHash);
    }

    /// <summary>The hash an event gets when appended after (lastId, lastHash): keyed from the key's first event on.</summary>
    internal string Sign(AuditEvent e, long lastId, string lastHash)
    {
        var key = KeyFor(lastId, lastHash);
        return e.Id >= key.KeyedFrom ? KeyedHashOf(e, key.Key) : AuditTrail.HashOf(e);
    }

    /// <summary>The key and the first event it signs; null while the store has none (never started since keyed chains).</summary>
    internal ChainKey? ReadKey()
    {
        if (_key is not null) return _key;
        return File.Exists(KeyPath) ? JsonSerializer.Deserialize<ChainKey>(File.ReadAllText(KeyPath), Json) : null;
    }

    /// <summary>The head anchored outside the database, or null when the file is missing.</summary>
    public AuditHead? ReadHead() =>
        File.Exists(HeadPath) ? JsonSerializer.Deserialize<AuditHead>(File.ReadAllText(HeadPath), Json) : null;

    internal static string KeyedHashOf(AuditEvent e, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, AuditTrail.CanonicalBytes(e)));

    private ChainKey KeyFor(long lastId, string lastHash)
    {
        if (_key is not null) return _key;
        lock (_sync)
        {
            if (_key is not null) return _key;
            using (LockFiles())
            {
                if (!File.Exists(KeyPath))
                {
                    // The head first: a crash before the key is written only repeats this, with the same events.
                    WriteAtomically(HeadPath, new AuditHead(lastId, lastHash));
                    WriteAtomically(KeyPath, new ChainKey(RandomNumberGenerator.GetBytes(32), lastId + 1));
                }
                _key = JsonSerializer.Deserialize<ChainKey>(File.ReadAllText(KeyPath), Json)
                    ?? throw new InvalidDataException($"{KeyPath} is empty.");
            }
            return _key;
        }
    }

    /// <summary>Moves the head to the event if it is newer than the one anchored (another process may have gone further).</summary>
    private void Advance(AuditHead head)
    {
        lock (_sync)
        {
            try
            {
                using (LockFiles())
                {
                    var current = ReadHead();
                    if (current is not null && current.Seq >= head.Seq) return;
                    WriteAtomically(HeadPath, head);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                // The change is committed already: failing it now would report a committed change as failed. The head
                // stays behind (which verification accepts) until the next append moves it past this event.
            }
        }
    }

    private FileStream LockFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
        // An exclusive open is an advisory lock between processes (flock on Unix); the holder keeps it for a file write.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                return new FileStream(_lockPath, options);
            }
            catch (IOException) when (attempt < 2000)
            {
                Thread.Sleep(5);
            }
        }
    }

    private static void WriteAtomically<T>(string path, T value)
    {
        var temp = path + "." + Environment.ProcessId + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(file, value, Json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    // --- interception: the head follows committed appends ---

    private void Saving(DbContext? context)
    {
        if (context is null) return;
        AuditHead? newest = null;
        foreach (var entry in context.ChangeTracker.Entries<AuditEvent>())
            if (entry.State == EntityState.Added && (newest is null || entry.Entity.Id > newest.Seq))
                newest = new AuditHead(entry.Entity.Id, entry.Entity.Hash);
        if (newest is null) return;
        _saving.AddOrUpdate(context, new StrongBox<AuditHead>(newest));
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var saved)) return;
        _saving.Remove(context);
        if (context.Database.CurrentTransaction is null)
        {
            Advance(saved.Value!);
            return;
        }
        if (!_pending.TryGetValue(context, out var pending) || pending.Value!.Seq < saved.Value!.Seq)
            _pending.AddOrUpdate(context, saved);
    }

    private void Committed(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending)) return;
        _pending.Remove(context);
        Advance(pending.Value!);
    }

    private void Failed(DbContext? context)
    {
        if (context is not null) _saving.Remove(context);
    }

    private void RolledBack(DbContext? context)
    {
        if (context is null) return;
        _pending.Remove(context);
        _saving.Remove(context);
    }

    InterceptionResult<int> ISaveChangesInterceptor.SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    ValueTask<InterceptionResult<int>> ISaveChangesInterceptor.SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    int ISaveChangesInterceptor.SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    ValueTask<int> ISaveChangesInterceptor.SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    void ISaveChangesInterceptor.SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData.Context);

    Task ISaveChangesInterceptor.SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => RolledBack(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        RolledBack(eventData.Context);
        return Task.CompletedTask;
    }
}

/// <summary>The newest event anchored outside the database.</summary>
public sealed record AuditHead(long Seq, string Hash);

/// <summary>The chain's HMAC key and the first event it signs (earlier events keep the unkeyed SHA-256 chain).</summary>
internal sealed record ChainKey(byte[] Key, long KeyedFrom);

public static class AuditRegistration
{
    /// <summary>The chain's key and head live beside the other keys; every context of the store carries the chain as an interceptor.</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditChain>();
        builder.Services.AddSingleton<AuditSearch>();
        return builder;
    }
}
