using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Bookkeeping;

/// <summary>Drains the <see cref="BookkeepingQueue"/>: each batch in one short transaction, retried while another writer
/// (an import) holds the database, so nothing queued is dropped.</summary>
public sealed class BookkeepingWriter(BookkeepingQueue queue, IDbContextFactory<GovernanceDbContext> dbFactory, ILogger<BookkeepingWriter> log)
    : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    // What a run that died had journaled is queued before the host starts serving, so it is ahead of anything new.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var replayed = queue.Replay();
        if (replayed > 0) log.LogInformation("Replaying {Count} bookkeeping write(s) journaled by an earlier run.", replayed);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var batch = new List<BookkeepingEntry>();
            while (batch.Count < 500 && reader.TryRead(out var entry)) batch.Add(entry);
            await WriteWithRetryAsync(batch, stoppingToken);
            queue.Written(batch.Count, batch.Count(e => e is AuditRecord));
        }
    }

    private async Task WriteWithRetryAsync(List<BookkeepingEntry> batch, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(batch, ct);
                return;
            }
            catch (Exception ex) when (IsBusy(ex))
            {
                // Another process (a command-line import) holds the writer for longer than the busy timeout: wait, then again.
                if (attempt == 1) log.LogInformation("Bookkeeping writes wait for another writer (an import) to commit.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Bookkeeping write failed (attempt {Attempt}); retrying.", attempt);
            }
            await Task.Delay(backoff, ct);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task WriteAsync(List<BookkeepingEntry> batch, CancellationToken ct) =>
        await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // BEGIN IMMEDIATE on SQLite: the writer lock first (waiting out a busy database), then the audit chain's last event.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var used in batch.OfType<ApiKeyUsed>().GroupBy(u => u.ApiKeyId))
            {
                var at = used.Max(u => u.At);
                await db.ApiKeys.Where(k => k.Id == used.Key).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
            }
            foreach (var record in batch.OfType<AuditRecord>())
            {
                if (record.Replayed && await WrittenBeforeAsync(db, record, ct)) continue;
                await AuditTrail.AppendAsync(db, record.Actor, record.Kind, record.Subject, at: record.At, ct: ct);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
            return 0;
        }, ct);

    // A crash after the commit but before the journal was emptied: the event is there already.
    private static async Task<bool> WrittenBeforeAsync(GovernanceDbContext db, AuditRecord record, CancellationToken ct)
    {
        var candidates = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Actor == record.Actor && e.Kind == record.Kind && e.Subject == record.Subject)
            .Select(e => e.At).ToListAsync(ct);
        return candidates.Contains(record.At);
    }

    private static bool IsBusy(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => true, // SQLITE_BUSY, SQLITE_LOCKED
        { InnerException: { } inner } => IsBusy(inner),
        _ => false,
    };
}

public static class BookkeepingRegistration
{
    public static IHostApplicationBuilder AddBookkeeping(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BookkeepingQueue>();
        builder.Services.AddHostedService<BookkeepingWriter>();
        return builder;
    }
}
