using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace GovernanceDashboard.Ingestion;

/// <summary>A parsed record and, for a finding, its names (null for anything else, or a finding that has none).</summary>
internal readonly record struct NamedItem(ParsedItem Item, FindingNames? Names);

/// <summary>Records parsed and named together, and how far into the file the parser had read after them.</summary>
internal sealed record NamedBatch(NamedItem[] Items, long BytesRead);

/// <summary>Parses a file and names its findings (keyed hashes) on a thread of its own, a few batches ahead of the
/// writer, so that an import uses the machine's second core: the writer's thread is left with the store's work.</summary>
/// <remarks>
/// Measured with <c>perf</c> on 100,000 TruffleHog records: parsing and naming were about a fifth of the import's thread.
/// Order is kept (one reader, one writer, first in first out), so the store sees the records exactly as a loop would.
/// Whatever the parser throws (<see cref="ImportRejectedException"/> for a malformed file, an I/O error) reaches the
/// consumer after the batches before it, as the loop would have thrown it after writing them; the import's transaction
/// rolls back either way. When the consumer stops early (its own error, cancellation), the reading thread is stopped and
/// awaited before the enumeration ends, so it never reads a stream its caller has closed. At most
/// <see cref="BatchesAhead"/> × <see cref="BatchRecords"/> records are held in memory ahead of the writer.
/// </remarks>
internal static class ReadAhead
{
    public const int BatchRecords = 256;
    public const int BatchesAhead = 4;

    public static async IAsyncEnumerable<NamedBatch> ParseAsync(string format, Stream file, SecretProtector secrets,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<NamedBatch>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });
        var reading = Task.Factory.StartNew(() => Read(format, file, secrets, channel.Writer, stop.Token), stop.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            while (await channel.Reader.WaitToReadAsync(ct))
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    ct.ThrowIfCancellationRequested();
                    yield return batch;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            // Its error, if any, already came through the channel; only its end matters here.
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static void Read(string format, Stream file, SecretProtector secrets, ChannelWriter<NamedBatch> batches, CancellationToken stop)
    {
        var items = new List<NamedItem>(BatchRecords);
        try
        {
            using var namer = new FindingNamer(secrets);
            foreach (var item in Parsers.Parse(format, file))
            {
                stop.ThrowIfCancellationRequested();
                items.Add(new NamedItem(item, item is Finding f ? namer.Name(f) : null));
                if (items.Count == BatchRecords && !SendAndClear(batches, items, file, stop)) return;
            }
            if (SendAndClear(batches, items, file, stop)) batches.TryComplete();
        }
        catch (Exception ex)
        {
            // The records read before the error still go first, as a loop would have written them before it threw.
            try
            {
                if (ex is not OperationCanceledException) SendAndClear(batches, items, file, stop);
            }
            catch (OperationCanceledException)
            {
                // The writer has stopped: nobody is left to read them.
            }
            batches.TryComplete(ex);
        }
    }

    // The reading thread is its own (long-running): waiting here for the writer to catch up blocks nothing else.
    private static bool SendAndClear(ChannelWriter<NamedBatch> batches, List<NamedItem> items, Stream file, CancellationToken stop)
    {
        if (items.Count == 0) return true;
        var batch = new NamedBatch([.. items], file.Position);
        items.Clear();
        while (!batches.TryWrite(batch))
        {
            if (!batches.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult()) return false;
        }
        return true;
    }
}
