using System.Text;
using GovernanceDashboard.Importers;
using Xunit;

namespace GovernanceDashboard.Tests.Importers;

/// <summary>Reads the fixture files copied to the test output directory and runs parsers over them.</summary>
internal static class ImporterTestFiles
{
    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", name);

    public static string Real(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "real", name);

    public static List<ParsedItem> ParseFile(string format, string path)
    {
        using var stream = File.OpenRead(path);
        return [.. Parsers.Parse(format, stream)];
    }

    public static List<ParsedItem> ParseBytes(string format, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return [.. Parsers.Parse(format, stream)];
    }

    public static List<ParsedItem> ParseText(string format, string text) => ParseBytes(format, Encoding.UTF8.GetBytes(text));

    public static List<Finding> Findings(this IEnumerable<ParsedItem> items) => [.. items.OfType<Finding>()];

    public static List<RejectedRecord> Rejected(this IEnumerable<ParsedItem> items) => [.. items.OfType<RejectedRecord>()];

    /// <summary>Every secret the sample and real files hold, to prove no message ever carries one.</summary>
    public static IReadOnlyList<string> KnownSecrets { get; } = CollectSecrets();

    private static List<string> CollectSecrets()
    {
        var files = new (string Format, string Path)[]
        {
            ("trufflehog", Sample("trufflehog.jsonl")), ("gitleaks", Sample("gitleaks.json")),
            ("github-alerts", Sample("github-alerts.json")), ("sarif", Sample("gitleaks.sarif")),
            ("trufflehog", Real("trufflehog-v3-git.jsonl")), ("gitleaks", Real("gitleaks8-many.json")),
            ("github-alerts", Real("github-alerts-many.json")), ("sarif", Real("sarif-gitleaks.sarif")),
        };
        return [.. files.SelectMany(f => ParseFile(f.Format, f.Path).Findings()).Select(f => f.Secret).OfType<string>().Distinct()];
    }
}

/// <summary>A read-only, non-seekable stream that hands out a few bytes per read, to cross every buffer boundary.</summary>
internal sealed class TrickleStream(byte[] bytes, int maxChunk = 7) : ForwardOnlyStream
{
    private readonly Random _random = new(42);
    private int _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, _random.Next(1, maxChunk + 1)), bytes.Length - _position);
        Array.Copy(bytes, _position, buffer, offset, n);
        _position += n;
        BytesRead = _position;
        return n;
    }
}

/// <summary>An endless, non-seekable stream of generated records that fails the test if read past a limit.</summary>
internal sealed class EndlessStream(byte[] prefix, Func<long, byte[]> record, long failAfterBytes) : ForwardOnlyStream
{
    private byte[] _current = prefix;
    private int _offset;
    private long _index;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (BytesRead > failAfterBytes) throw new InvalidOperationException($"Read past {failAfterBytes} bytes: the parser is not streaming.");
        if (_offset == _current.Length)
        {
            _current = record(_index++);
            _offset = 0;
        }
        var n = Math.Min(count, _current.Length - _offset);
        Array.Copy(_current, _offset, buffer, offset, n);
        _offset += n;
        BytesRead += n;
        return n;
    }
}

/// <summary>What the test streams share: read-only and not seekable, so only Read differs.</summary>
internal abstract class ForwardOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <summary>How many bytes Read has handed out.</summary>
    protected long BytesRead { get; set; }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
