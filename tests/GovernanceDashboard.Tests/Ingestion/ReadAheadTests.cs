using System.Text;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>The import's reading thread (<see cref="ReadAhead"/>): the writer gets every record in the file's order with
/// the names a loop would have given it, a parser's error after the records before it, and an early stop of the writer
/// stops and waits for the reading thread, so that nothing reads the file after the import has let go of it.</summary>
public sealed class ReadAheadTests : IAsyncDisposable
{
    private readonly TestStore _store = new();

    // More records than the reading thread may hold ahead of the writer, so that it must wait for the writer.
    private const int Records = ReadAhead.BatchRecords * (ReadAhead.BatchesAhead + 3) + 17;

    private static string Line(int i) =>
        "{\"SourceMetadata\":{\"Data\":{\"Git\":{" + $"\"repository\":\"https://github.com/acme/r{i % 7}\",\"file\":\"f{i}.py\",\"line\":{i},\"commit\":\"c{i}\""
        + "}}},\"DetectorName\":\"HuggingFace\",\"Verified\":false," + $"\"Raw\":\"hf_{i:D8}abcdefghijklmnopqrstuvwxyz\"" + "}\n";

    private static byte[] File(int records) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, records).Select(Line)));

    [Fact]
    public async Task Every_record_arrives_in_order_with_the_names_a_loop_gives_it()
    {
        var secrets = _store.Protector();
        var bytes = File(Records);
        var seen = new List<NamedItem>();
        var lastPosition = 0L;
        await foreach (var batch in ReadAhead.ParseAsync(ImportFormats.TruffleHog, new MemoryStream(bytes), secrets, CancellationToken.None))
        {
            Assert.InRange(batch.Items.Length, 1, ReadAhead.BatchRecords);
            Assert.True(batch.BytesRead >= lastPosition);
            lastPosition = batch.BytesRead;
            seen.AddRange(batch.Items);
        }

        Assert.Equal(bytes.Length, lastPosition);
        using var namer = new FindingNamer(secrets);
        var expected = Parsers.Parse(ImportFormats.TruffleHog, new MemoryStream(bytes)).ToList();
        Assert.Equal(expected.Select(e => e.Line), seen.Select(s => s.Item.Line));
        foreach (var (item, names) in seen)
        {
            var finding = Assert.IsType<Finding>(item);
            var loop = namer.Name(finding)!;
            Assert.Equal(loop.Identity, names!.Identity);
            Assert.Equal(loop.PlaceKey, names.PlaceKey);
            Assert.Equal(loop.Mask, names.Mask);
            // The escrow copy is the secret, sealed (a fresh nonce each time, so compared by opening it).
            Assert.DoesNotContain(finding.Secret!, names.EscrowCopy!, StringComparison.Ordinal);
            Assert.Equal(finding.Secret, secrets.Unescrow(names.EscrowCopy!));
        }
    }

    [Fact]
    public async Task A_parser_error_reaches_the_writer_after_the_records_before_it()
    {
        // A Gitleaks report cut off inside its last finding: the parser rejects the whole file when it gets there.
        var findings = Enumerable.Range(1, Records).Select(i =>
            $$"""{"RuleID":"huggingface-access-token","Secret":"hf_{{i:D8}}abcdefghijklmnopqrstuvwxyz","File":"f{{i}}.py","StartLine":{{i}},"Commit":"c{{i}}"}""");
        var bytes = Encoding.UTF8.GetBytes("[" + string.Join(",\n", findings) + ",\n{\"RuleID\":\"huggingface-acc");
        var received = 0;
        var error = await Assert.ThrowsAsync<ImportRejectedException>(async () =>
        {
            await foreach (var batch in ReadAhead.ParseAsync(ImportFormats.Gitleaks, new MemoryStream(bytes), _store.Protector(), CancellationToken.None))
                received += batch.Items.Length;
        });
        Assert.Equal(Records, received);
        Assert.Contains("truncated", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_writer_that_stops_early_waits_for_the_reading_thread_to_let_go_of_the_file()
    {
        // Held once past the first batch and a half: the reading thread has handed over one batch and waits inside a read.
        var bytes = File(Records);
        var file = new GatedStream(bytes, closeAt: File(ReadAhead.BatchRecords * 3 / 2).Length);
        var enumerator = ReadAhead.ParseAsync(ImportFormats.TruffleHog, file, _store.Protector(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await enumerator.MoveNextAsync());
        Assert.True(await file.Blocked.WaitAsync(TimeSpan.FromSeconds(30)));

        var stopping = enumerator.DisposeAsync().AsTask();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "the enumeration ended while its reading thread was still inside a read of the file");
        file.Open();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        var readsWhenStopped = file.Reads;
        await Task.Delay(200);
        Assert.Equal(readsWhenStopped, file.Reads);
        Assert.True(file.Position < bytes.Length, "the reading thread read the whole file instead of stopping");
    }

    [Fact]
    public async Task Cancelling_the_import_stops_the_reading_thread()
    {
        using var cancel = new CancellationTokenSource();
        var file = new GatedStream(File(Records), closeAt: long.MaxValue);
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in ReadAhead.ParseAsync(ImportFormats.TruffleHog, file, _store.Protector(), cancel.Token))
            {
                received += batch.Items.Length;
                await cancel.CancelAsync();
            }
        });
        Assert.Equal(ReadAhead.BatchRecords, received);
        var reads = file.Reads;
        await Task.Delay(200);
        Assert.Equal(reads, file.Reads);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>A file read in small chunks whose reads are held, once past closeAt bytes, until <see cref="Open"/>.</summary>
    private sealed class GatedStream(byte[] bytes, long closeAt) : MemoryStream(bytes)
    {
        private const int Chunk = 512;
        private readonly ManualResetEventSlim _gate = new(initialState: true);
        private int _reads;
        private bool _held;

        public SemaphoreSlim Blocked { get; } = new(0);
        public int Reads => Volatile.Read(ref _reads);
        public void Open() => _gate.Set();

        // MemoryStream's other reads come here in a derived class.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= closeAt && !_held)
            {
                _held = true;
                _gate.Reset();
                Blocked.Release();
            }
            _gate.Wait();
            Interlocked.Increment(ref _reads);
            return base.Read(buffer, offset, Math.Min(count, Chunk));
        }
    }
}
