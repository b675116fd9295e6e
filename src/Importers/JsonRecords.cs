namespace GovernanceDashboard.Importers;

/// <summary>Shared plumbing of the JSON parsers: streaming a top-level array element by element, and mapping one record
/// so that nothing but an <see cref="ImportRejectedException"/> or a <see cref="RejectedRecord"/> can come out of it.</summary>
internal static class JsonRecords
{
    /// <summary>Maps one record; first is true for the file's first record, whose shape decides whether the file is the format.</summary>
    public delegate ParsedItem Mapper(JsonElement element, int line, bool first);

    public static IEnumerable<ParsedItem> TopLevelArray(Stream stream, string format, Mapper map)
    {
        var json = new JsonStream(stream, format);
        json.RequireContent(ImportFormats.Describe(format));
        json.Read();
        if (json.TokenType == JsonTokenType.Null) throw new ImportRejectedException(format, FormatDetector.NullReportMessage, json.TokenLine, json.TokenOffset);
        if (json.TokenType != JsonTokenType.StartArray)
        {
            throw new ImportRejectedException(format,
                $"Expected {ImportFormats.Describe(format)}, but line {json.TokenLine} starts {Describe(json.TokenType)} instead of an array.",
                json.TokenLine, json.TokenOffset);
        }

        var first = true;
        while (json.Read() && !(json.TokenType == JsonTokenType.EndArray && json.Depth == 0))
        {
            foreach (var item in Element(json, format, map, first)) yield return item;
            first = false;
        }

        // Reading past the array makes the reader reject anything but whitespace after it.
        while (json.Read())
        {
        }
    }

    /// <summary>Pages of records as <c>gh api --paginate</c> writes them: one array per page, back to back (<c>[…][…]</c>,
    /// with or without whitespace between), or with <c>--slurp</c> one array of page arrays (<c>[[…],[…]]</c>); a single
    /// array is one page. Streams like <see cref="TopLevelArray"/>; records keep their line numbers in the file.</summary>
    public static IEnumerable<ParsedItem> Pages(Stream stream, string format, Mapper map)
    {
        var json = new JsonStream(stream, format, multipleValues: true);
        json.RequireContent(ImportFormats.Describe(format));
        var first = true;
        while (json.Read())
        {
            if (json.TokenType == JsonTokenType.Null) throw new ImportRejectedException(format, FormatDetector.NullReportMessage, json.TokenLine, json.TokenOffset);
            if (json.TokenType != JsonTokenType.StartArray)
            {
                throw new ImportRejectedException(format,
                    $"Expected {ImportFormats.Describe(format)} (one array per page), but line {json.TokenLine} starts {Describe(json.TokenType)} instead of an array.",
                    json.TokenLine, json.TokenOffset);
            }
            while (json.Read() && !(json.TokenType == JsonTokenType.EndArray && json.Depth == 0))
            {
                if (json.TokenType == JsonTokenType.StartArray && json.Depth == 1)
                {
                    // --slurp: this element is a whole page.
                    while (json.Read() && !(json.TokenType == JsonTokenType.EndArray && json.Depth == 1))
                    {
                        foreach (var item in Element(json, format, map, first)) yield return item;
                        first = false;
                    }
                    continue;
                }
                foreach (var item in Element(json, format, map, first)) yield return item;
                first = false;
            }
        }
    }

    /// <summary>An empty report: one or more arrays, back to back or nested, holding nothing. Anything else rejects the file
    /// (detection saw only the first 64 KiB; a record after that says the file has a format after all).</summary>
    public static IEnumerable<ParsedItem> EmptyReport(Stream stream)
    {
        const string format = ImportFormats.NoFindings;
        var json = new JsonStream(stream, format, multipleValues: true);
        json.RequireContent(ImportFormats.Describe(format));
        while (json.Read())
        {
            if (json.TokenType is not (JsonTokenType.StartArray or JsonTokenType.EndArray))
            {
                throw new ImportRejectedException(format,
                    $"The file starts as an empty report, but line {json.TokenLine} holds {Describe(json.TokenType)}: choose its format (gitleaks or github-alerts) and import it again.",
                    json.TokenLine, json.TokenOffset);
            }
        }
        yield break;
    }

    /// <summary>The record(s) for the array element whose start token was just read.</summary>
    public static IEnumerable<ParsedItem> Element(JsonStream json, string format, Mapper map, bool first)
    {
        var line = ClampLine(json.TokenLine);
        if (json.TokenType != JsonTokenType.StartObject)
        {
            json.Skip();
            if (first)
            {
                throw new ImportRejectedException(format,
                    $"Expected {ImportFormats.Describe(format)}, but the first element (line {line}) is {Describe(json.TokenType)}, not an object.",
                    line, json.TokenOffset);
            }
            yield return new RejectedRecord(line, "array element is not a JSON object");
            yield break;
        }

        var document = json.Capture(out var reason);
        if (document is null)
        {
            yield return new RejectedRecord(line, reason ?? "record could not be read");
            yield break;
        }

        ParsedItem item;
        using (document)
        {
            item = MapSafely(map, document.RootElement, line, first);
        }
        yield return item;
    }

    /// <summary>Runs a mapper, turning any surprise inside one record into that record's rejection.</summary>
    public static ParsedItem MapSafely(Mapper map, JsonElement element, int line, bool first)
    {
        try
        {
            return map(element, line, first);
        }
        catch (ImportRejectedException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or OverflowException
            or KeyNotFoundException or IndexOutOfRangeException or NullReferenceException or JsonException or InvalidCastException)
        {
            // The exception's message may quote the record; its type is enough to tell the user something was off.
            return new RejectedRecord(line, $"record could not be read ({ex.GetType().Name})");
        }
    }

    public static int ClampLine(long line) => line > int.MaxValue ? int.MaxValue : (int)line;

    public static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "something else",
    };
}
