namespace GovernanceDashboard.Importers;

/// <summary>Entry point of the importers: detect a file's format and parse it into <see cref="ParsedItem"/>s.</summary>
/// <remarks>
/// Parsing is lazy and streaming: nothing is read until the sequence is enumerated, and memory stays bounded whatever
/// the file's size. While enumerating, a whole-file problem (not the format, truncated JSON, binary data, empty file,
/// missing CSV columns, a gitleaks v7 report) throws <see cref="ImportRejectedException"/> — possibly after some items
/// were yielded, so the caller must treat the import as one unit. A bad record comes out as a <see cref="RejectedRecord"/>.
/// No other exception comes from the content of a file; I/O errors of the stream itself pass through. The stream is not
/// disposed. Parsers never reject a file for its share of rejected records: the caller does.
/// </remarks>
public static class Parsers
{
    /// <summary>Parses the stream as formatId (case-insensitive; "auto" detects it first, and works on non-seekable streams).</summary>
    public static IEnumerable<ParsedItem> Parse(string formatId, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Ids typed on a command line ("TruffleHog", " sarif") mean the same format.
        var id = (formatId ?? "").Trim().ToLowerInvariant();
        return Guard(id, ParseUnguarded(id, stream));
    }

    /// <summary>Detects the format of a seekable stream from its first bytes and puts the position back where it was.
    /// For a non-seekable stream use <see cref="Detect(Stream, out Stream)"/>.</summary>
    public static string Detect(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream is not seekable; use Detect(stream, out content) and read content instead.", nameof(stream));
        }
        var start = stream.Position;
        try
        {
            var head = ReadHead(stream, out var length, out var complete);
            return FormatDetector.Detect(head.AsSpan(0, length), complete);
        }
        finally
        {
            stream.Position = start;
        }
    }

    /// <summary>Detects the format of any stream. content is the stream to parse from then on: the same stream, put
    /// back at its starting position, when it can seek; otherwise a wrapper that replays the bytes detection read.</summary>
    public static string Detect(Stream stream, out Stream content)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            content = stream;
            return Detect(stream);
        }
        var head = ReadHead(stream, out var length, out var complete);
        content = new ReplayStream(head, length, stream);
        return FormatDetector.Detect(head.AsSpan(0, length), complete);
    }

    private static IEnumerable<ParsedItem> ParseUnguarded(string formatId, Stream stream)
    {
        if (formatId == ImportFormats.Auto)
        {
            var detected = Detect(stream, out var content);
            foreach (var item in ParseUnguarded(detected, content)) yield return item;
            yield break;
        }

        var items = formatId switch
        {
            ImportFormats.TruffleHog => TruffleHogParser.Parse(stream),
            ImportFormats.Gitleaks => GitleaksParser.Parse(stream),
            ImportFormats.GitHubAlerts => GitHubAlertsParser.Parse(stream),
            ImportFormats.Sarif => SarifParser.Parse(stream),
            ImportFormats.PeopleCsv => PeopleCsvParser.Parse(stream),
            ImportFormats.OwnersCsv => OwnersCsvParser.Parse(stream),
            ImportFormats.NoFindings => JsonRecords.EmptyReport(stream),
            _ => throw new ImportRejectedException(formatId,
                $"Unknown format \"{(formatId.Length > 40 ? formatId[..40] : formatId)}\"; expected auto or {string.Join(", ", ImportFormats.All)}."),
        };
        foreach (var item in items) yield return item;
    }

    // Whatever goes wrong inside a parser on strange input surfaces as a rejection of the file, never as a crash.
    private static IEnumerable<ParsedItem> Guard(string formatId, IEnumerable<ParsedItem> items)
    {
        using var enumerator = items.GetEnumerator();
        while (true)
        {
            ParsedItem? item = null;
            try
            {
                if (enumerator.MoveNext()) item = enumerator.Current;
            }
            catch (Exception ex) when (ex is not (ImportRejectedException or IOException or OperationCanceledException
                or ObjectDisposedException or OutOfMemoryException or NotSupportedException))
            {
                throw new ImportRejectedException(formatId,
                    $"The file could not be read as {ImportFormats.Describe(formatId)} ({ex.GetType().Name}).", null, null);
            }
            if (item is null) yield break;
            yield return item;
        }
    }

    private static byte[] ReadHead(Stream stream, out int length, out bool complete)
    {
        var head = new byte[FormatDetector.PeekBytes];
        length = 0;
        complete = false;
        while (length < head.Length)
        {
            var read = stream.Read(head, length, head.Length - length);
            if (read == 0)
            {
                complete = true;
                break;
            }
            length += read;
        }
        return head;
    }
}
