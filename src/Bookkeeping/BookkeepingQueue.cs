using System.Text.Json.Serialization;
using System.Threading.Channels;

namespace GovernanceDashboard.Bookkeeping;

/// <summary>Writes that only keep the books of a request — an API key's last use, a sign-in or sign-out audit event — are
/// queued here instead of written on the request path, and <see cref="BookkeepingWriter"/> applies them in the background.</summary>
/// <remarks>
/// Why a queue: SQLite has one writer at a time and an import holds it for its whole transaction (minutes for a large
/// file). A request that wrote its bookkeeping inline waited behind it and failed with "database is locked" after the
/// command timeout; a reader must never fail for that. Giving the write "its own short transaction after the import"
/// would still keep the request waiting for the import; the queue answers at once and the writer waits instead.
/// Audit events must not be lost, so each is appended (and flushed) to a journal file beside the key directory
/// (<c>queue/bookkeeping.jsonl</c>) before it is queued, replayed at the next start if the process dies first, and the
/// journal is emptied once everything in it is in the database. Last-use times are not journaled: the next use of the
/// key writes a newer one.
/// </remarks>
public sealed class BookkeepingQueue
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Channel<BookkeepingEntry> _channel = Channel.CreateUnbounded<BookkeepingEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _sync = new();
    private readonly TimeProvider _clock;
    private int _journaled;
    private int _outstanding;
    private TaskCompletionSource _idle = Completed();

    public BookkeepingQueue(KeyStore keys, TimeProvider clock)
    {
        _clock = clock;
        var folder = keys.SiblingDirectory("queue");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        JournalPath = Path.Combine(folder, "bookkeeping.jsonl");
    }

    public string JournalPath { get; }

    internal ChannelReader<BookkeepingEntry> Reader => _channel.Reader;

    /// <summary>Records that an API key was used now.</summary>
    public void KeyUsed(int apiKeyId) => Enqueue(new ApiKeyUsed(apiKeyId, _clock.GetUtcNow()), journal: false);

    /// <summary>Queues an audit event (sign-in, sign-out), stamped now; journaled first, so it survives a crash.</summary>
    public void Audit(string actor, string kind, string? subject) =>
        Enqueue(new AuditRecord(actor, kind, subject, DateTimeOffset.FromUnixTimeMilliseconds(_clock.GetUtcNow().ToUnixTimeMilliseconds())), journal: true);

    /// <summary>Completes when everything queued so far is in the database (tests, and an orderly shutdown).</summary>
    public Task DrainedAsync(CancellationToken ct = default)
    {
        lock (_sync) return _idle.Task.WaitAsync(ct);
    }

    /// <summary>Entries a previous run journaled but did not write; queued again, marked so the writer skips any it did write.</summary>
    internal int Replay()
    {
        List<BookkeepingEntry> entries = [];
        lock (_sync)
        {
            if (!File.Exists(JournalPath)) return 0;
            foreach (var line in File.ReadLines(JournalPath))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    if (JsonSerializer.Deserialize<BookkeepingEntry>(line, Json) is AuditRecord record) entries.Add(record with { Replayed = true });
                }
                catch (JsonException)
                {
                    // A line cut short by the crash was never acknowledged to anyone: nothing to write.
                }
            }
            _journaled += entries.Count;
            Track(entries.Count);
        }
        foreach (var entry in entries) _channel.Writer.TryWrite(entry);
        return entries.Count;
    }

    /// <summary>Called by the writer once entries are committed: journaled ones are forgotten, and an empty journal is truncated.</summary>
    internal void Written(int count, int journaled)
    {
        lock (_sync)
        {
            _journaled -= journaled;
            if (journaled > 0 && _journaled == 0) File.WriteAllText(JournalPath, "");
            _outstanding -= count;
            if (_outstanding == 0) _idle.TrySetResult();
        }
    }

    private void Enqueue(BookkeepingEntry entry, bool journal)
    {
        lock (_sync)
        {
            if (journal)
            {
                var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var file = new FileStream(JournalPath, options);
                file.Write(JsonSerializer.SerializeToUtf8Bytes(entry, Json));
                file.WriteByte((byte)'\n');
                file.Flush(flushToDisk: true);
                _journaled++;
            }
            Track(1);
        }
        _channel.Writer.TryWrite(entry);
    }

    private void Track(int count)
    {
        if (count == 0) return;
        if (_outstanding == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _outstanding += count;
    }

    private static TaskCompletionSource Completed()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        idle.TrySetResult();
        return idle;
    }
}

/// <summary>One bookkeeping write.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ApiKeyUsed), "apikey.used")]
[JsonDerivedType(typeof(AuditRecord), "audit")]
public abstract record BookkeepingEntry;

/// <summary>An API key was used at At.</summary>
public sealed record ApiKeyUsed(int ApiKeyId, DateTimeOffset At) : BookkeepingEntry;

/// <summary>An audit event to append; Replayed when it comes from the journal of a previous run (it may already be written).</summary>
public sealed record AuditRecord(string Actor, string Kind, string? Subject, DateTimeOffset At) : BookkeepingEntry
{
    [JsonIgnore]
    public bool Replayed { get; init; }
}
