using System.Text.Unicode;

namespace GovernanceDashboard.Importers;

/// <summary>Tells which import format a file is from its first bytes, per docs/imports.md's table.</summary>
public static class FormatDetector
{
    /// <summary>How many bytes detection looks at.</summary>
    public const int PeekBytes = 64 * 1024;

    /// <summary>The format id of a file whose first bytes are head (complete: head is the whole file).
    /// Throws <see cref="ImportRejectedException"/> (format "auto") for an empty, binary or unrecognised file.</summary>
    public static string Detect(ReadOnlySpan<byte> head, bool complete)
    {
        var start = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var body = head[start..];

        var first = IndexOfNonWhitespace(body);
        if (first < 0)
        {
            if (complete) throw Reject("The file is empty", 1, 0);
            throw Reject($"The first {PeekBytes / 1024} KiB hold only whitespace", 1, 0);
        }

        if (FindBinary(body, complete) is { } bad)
        {
            var line = 1 + body[..bad].Count((byte)'\n');
            throw Reject($"The file holds binary data or invalid UTF-8 at line {line}, byte {start + bad}", line, start + bad);
        }

        var content = body[first..];
        var firstLine = 1 + body[..first].Count((byte)'\n');
        if (IsNullReport(content)) throw new ImportRejectedException(ImportFormats.Auto, NullReportMessage, firstLine, start + first);
        return content[0] switch
        {
            (byte)'[' => DetectArray(content, firstLine),
            (byte)'{' => DetectObject(content, firstLine),
            _ => DetectCsv(content, firstLine),
        };
    }

    /// <summary>What a file holding only <c>null</c> is told: not a report (and not "neither JSON nor CSV").</summary>
    internal const string NullReportMessage =
        "The file holds only null, not a report: there is nothing to import, and nothing was written. " +
        "(Early gitleaks 8 releases write null when they find nothing; current ones write [], which imports as an empty scan.)";

    internal static bool IsNullReport(ReadOnlySpan<byte> content) =>
        content.StartsWith("null"u8) && IndexOfNonWhitespace(content[4..]) < 0;

    // A top-level array, or several back to back ("gh api --paginate"), or an array of arrays ("--paginate --slurp"): the
    // first object, wherever the (possibly empty) pages put it, tells the format. No object at all is an empty report.
    private static string DetectArray(ReadOnlySpan<byte> content, int line)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(content, isFinalBlock: false, new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 256 }));
        try
        {
            var objectDepth = -1;
            while (objectDepth < 0 && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray when reader.CurrentDepth <= 1:
                    case JsonTokenType.EndArray:
                        break;
                    case JsonTokenType.StartObject when reader.CurrentDepth is 1 or 2:
                        objectDepth = reader.CurrentDepth;
                        break;
                    default:
                        throw Reject($"Line {line} starts a JSON array whose first element is not an object (nor a page of objects)", line, null);
                }
            }
            // gitleaks writes "[]" when it finds nothing, and so does GitHub for a page without alerts: which tool it was
            // cannot be told, so it is not recorded as either.
            if (objectDepth < 0) return ImportFormats.NoFindings;
            while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == objectDepth))
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == objectDepth + 1) names.Add(reader.GetString() ?? "");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Reject($"Not valid JSON near line {line + (ex is JsonException j ? j.LineNumber ?? 0 : 0)}", line, null);
        }

        if (names.Contains("RuleID") || names.Contains("Secret")) return ImportFormats.Gitleaks;
        if (names.Contains("secret_type") || (names.Contains("number") && names.Contains("state"))) return ImportFormats.GitHubAlerts;
        // A gitleaks v7 report: the gitleaks parser rejects it with a message asking for v8.
        if (names.Contains("offender") || (names.Contains("rule") && names.Contains("lineNumber"))) return ImportFormats.Gitleaks;
        throw Reject($"Line {line} starts a JSON array whose first element has neither RuleID/Secret (gitleaks) nor number/secret_type/state (github-alerts)", line, null);
    }

    private static string DetectObject(ReadOnlySpan<byte> content, int line)
    {
        var reader = new Utf8JsonReader(content, isFinalBlock: false, default);
        bool sarif = false, trufflehog = false;
        try
        {
            reader.Read();
            while (reader.Read() && reader.CurrentDepth > 0)
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var name = reader.GetString();
                if (name is "DetectorName" or "SourceMetadata") trufflehog = true;
                if (name == "runs") sarif = true;
                if (name is "version" or "$schema" && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var value = reader.GetString() ?? "";
                    if (value == "2.1.0" || value.Contains("sarif", StringComparison.OrdinalIgnoreCase)) sarif = true;
                }
                if (sarif || trufflehog) break;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw Reject($"Not valid JSON near line {line + (ex is JsonException j ? j.LineNumber ?? 0 : 0)}", line, null);
        }

        if (sarif) return ImportFormats.Sarif;
        if (trufflehog) return ImportFormats.TruffleHog;
        throw Reject($"Line {line} starts a JSON object that is neither a TruffleHog finding (DetectorName, SourceMetadata) nor SARIF 2.1.0 (version, runs)", line, null);
    }

    private static string DetectCsv(ReadOnlySpan<byte> content, int line)
    {
        var end = content.IndexOf((byte)'\n');
        var headerBytes = end < 0 ? content : content[..end];
        var columns = Encoding.UTF8.GetString(headerBytes)
            .Split(',')
            .Select(c => c.Trim().Trim('"').Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_'))
            .ToHashSet(StringComparer.Ordinal);

        if (columns.Contains("owner_email") || (columns.Contains("platform") && columns.Contains("account"))) return ImportFormats.OwnersCsv;
        if (columns.Contains("email") && (columns.Contains("display_name") || columns.Contains("manager_email") || columns.Contains("active")))
        {
            return ImportFormats.PeopleCsv;
        }
        throw Reject($"Line {line} is neither JSON nor a known CSV header", line, null);
    }

    // First byte offset of a NUL or of invalid UTF-8; a multi-byte character cut by the end of a partial head is fine.
    private static int? FindBinary(ReadOnlySpan<byte> bytes, bool complete)
    {
        var nul = bytes.IndexOf((byte)0);
        var checkedPart = nul >= 0 ? bytes[..nul] : bytes;
        var status = Utf8.ToUtf16(checkedPart, new char[checkedPart.Length], out var read, out _, replaceInvalidSequences: false, isFinalBlock: complete || nul >= 0);
        if (status == System.Buffers.OperationStatus.InvalidData) return read;
        if (status == System.Buffers.OperationStatus.NeedMoreData && complete) return read;
        return nul >= 0 ? nul : null;
    }

    private static int IndexOfNonWhitespace(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return i;
        }
        return -1;
    }

    private static ImportRejectedException Reject(string what, long line, long? bytePosition) =>
        new(ImportFormats.Auto, $"{what}; expected {ImportFormats.Describe(ImportFormats.Auto)}.", line, bytePosition);
}
