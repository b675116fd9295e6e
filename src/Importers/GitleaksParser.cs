namespace GovernanceDashboard.Importers;

/// <summary>Reads a Gitleaks v8 <c>--report-format json</c> report (a JSON array of findings) into findings.</summary>
public static class GitleaksParser
{
    public const string Scanner = "Gitleaks";

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return JsonRecords.TopLevelArray(stream, ImportFormats.Gitleaks, Map);
    }

    /// <summary>v7 wrote lowercase keys (offender, rule, lineNumber); v8 writes Secret, RuleID, StartLine.</summary>
    internal static bool LooksLikeV7(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && !element.TryGetProperty("RuleID", out _) && !element.TryGetProperty("Secret", out _)
        && (element.TryGetProperty("offender", out _) || (element.TryGetProperty("rule", out _) && element.TryGetProperty("lineNumber", out _)));

    private static ParsedItem Map(JsonElement element, int line, bool first)
    {
        if (LooksLikeV7(element))
        {
            if (!first) return new RejectedRecord(line, "gitleaks v7 record (lowercase keys) in a v8 report");
            throw new ImportRejectedException(ImportFormats.Gitleaks,
                $"This is a gitleaks v7 report (lowercase keys offender, rule, lineNumber at line {line}), which is not supported: " +
                "re-run the scan with gitleaks v8 (gitleaks detect --report-format json) and import that report.",
                line);
        }

        var f = new JsonFields(element);
        if (first && !f.Has("RuleID") && !f.Has("Secret"))
        {
            throw new ImportRejectedException(ImportFormats.Gitleaks,
                $"The first element (line {line}) has neither RuleID nor Secret; expected {ImportFormats.Describe(ImportFormats.Gitleaks)}.",
                line);
        }

        var rule = f.Text("RuleID") ?? "unknown";
        var rawSecret = f.String("Secret");
        var file = f.Text("File");
        var lineNumber = f.Int("StartLine");
        var column = f.Int("StartColumn");
        var commit = ScannerText.Commit(f.Text("Commit"));
        var email = ScannerText.Email(f.Text("Email"));
        var date = f.Timestamp("Date");
        var link = f.Text("Link");
        if (f.Error is { } error) return new RejectedRecord(line, error);

        // --redact replaces the value with "REDACTED": such a finding has no secret, only a place.
        var secret = string.IsNullOrWhiteSpace(rawSecret) || ScannerText.GivesNoValue(rawSecret) ? null : rawSecret;
        if (secret is null && file is null && commit is null && link is null)
        {
            return new RejectedRecord(line, "no secret and no location");
        }

        var type = TokenClassifier.Classify(secret, rule);
        return new Finding(line)
        {
            Scanner = Scanner,
            Secret = secret,
            // Gitleaks' Fingerprint is only commit:file:rule:line; the key is built from the same facts, plus the column.
            LocationKey = secret is null ? ScannerText.LocationKey(Scanner, rule, file ?? link, lineNumber, column, commit) : null,
            Detector = rule,
            Platform = type.Platform,
            Kind = type.Kind,
            Verification = Verification.Unverified,
            WriteCapability = WriteCapability.Unknown,
            Repository = ScannerText.RepositoryFromLink(link),
            File = file,
            LineNumber = lineNumber,
            Column = column,
            Commit = commit,
            Link = link,
            AuthorEmail = email,
            CommitTime = date,
        };
    }
}
