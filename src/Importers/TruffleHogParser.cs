using System.Text.Unicode;

namespace GovernanceDashboard.Importers;

/// <summary>Reads TruffleHog v3 <c>--json</c> output (one finding per line) into findings.</summary>
public static class TruffleHogParser
{
    public const string Scanner = "TruffleHog";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Iterate(stream);
    }

    private static IEnumerable<ParsedItem> Iterate(Stream stream)
    {
        var lines = new LineReader(stream);
        var formatChecked = false;
        var sawContent = false;
        while (lines.TryReadLine(out var line, out var tooLong))
        {
            var number = lines.LineNumber;
            if (tooLong)
            {
                sawContent = true;
                yield return new RejectedRecord(number, $"line longer than {LineReader.MaxLineBytes / (1024 * 1024)} MiB");
                continue;
            }
            if (IsBlank(line.Span)) continue;
            sawContent = true;

            // The first record decides whether this is TruffleHog output at all; later ones are rejected alone.
            var item = ReadLine(line, number, lines.LineOffset, first: !formatChecked);
            formatChecked = true;
            yield return item;
        }

        if (!sawContent)
        {
            throw new ImportRejectedException(ImportFormats.TruffleHog,
                $"The file is empty; expected {ImportFormats.Describe(ImportFormats.TruffleHog)}.", 1, 0);
        }
    }

    private static ParsedItem ReadLine(ReadOnlyMemory<byte> bytes, int line, long offset, bool first)
    {
        if (!Utf8.IsValid(bytes.Span)) return Problem(line, offset, first, "invalid UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException)
        {
            return Problem(line, offset, first, "not valid JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Problem(line, offset, first, "not a JSON object");
            var hasDetector = root.TryGetProperty("DetectorName", out _);
            var hasSource = root.TryGetProperty("SourceMetadata", out _);
            if (first ? !(hasDetector && hasSource) : !(hasDetector || hasSource))
            {
                return Problem(line, offset, first, "not a TruffleHog finding (no DetectorName and SourceMetadata)");
            }
            return JsonRecords.MapSafely(Map, root, line, first);
        }
    }

    private static RejectedRecord Problem(int line, long offset, bool first, string reason)
    {
        if (first)
        {
            throw new ImportRejectedException(ImportFormats.TruffleHog,
                $"Line {line} (byte {offset}) is {reason}; expected {ImportFormats.Describe(ImportFormats.TruffleHog)} whose first line is an object with DetectorName and SourceMetadata.",
                line, offset);
        }
        return new RejectedRecord(line, reason);
    }

    private static ParsedItem Map(JsonElement root, int line, bool first)
    {
        var f = new JsonFields(root);
        var detector = f.Text("DetectorName") ?? "unknown";
        var verified = f.Bool("Verified") ?? false;
        var redacted = f.String("Redacted");
        var secret = SecretFrom(f.String("Raw"), redacted) ?? SecretFrom(f.String("RawV2"), redacted);

        var source = f.Object("SourceMetadata")?.Object("Data")?.FirstObjectProperty();
        var data = source?.Value;
        var sourceName = source?.Name;
        var link = data?.Text("link");
        // On issue and pull-request comments TruffleHog gives the repository by name only ("ralph"); the link says where it is.
        var repository = ScannerText.RepositoryUsingLink(data?.Text("repository") ?? data?.Text("bucket") ?? data?.Text("image"), link)
            ?? ScannerText.RepositoryFromLink(link);
        var file = data?.Text("file") ?? data?.Text("filename") ?? data?.Text("path");
        var lineNumber = data?.Int("line");
        var commit = ScannerText.Commit(data?.Text("commit"));
        var email = ScannerText.Email(data?.Text("email"));
        var timestamp = data?.Timestamp("timestamp");
        var visibilityCode = data?.Int("visibility");

        if (f.Error is { } error) return new RejectedRecord(line, error);
        if (secret is null && repository is null && file is null && link is null && commit is null)
        {
            return new RejectedRecord(line, "no secret and no location");
        }

        var extra = Extra(root);
        var type = TokenClassifier.Classify(secret, detector);
        var role = RoleFrom(extra?.Text("Token", ignoreCase: true));
        var scopes = ListFrom(extra?.Text("scopes", ignoreCase: true));
        var organizations = ListFrom(extra?.Text("Organizations", ignoreCase: true));
        var account = extra?.Text("Username", ignoreCase: true) ?? extra?.Text("login", ignoreCase: true);

        return new Finding(line)
        {
            Scanner = Scanner,
            Secret = secret,
            LocationKey = secret is null
                ? ScannerText.LocationKey(Scanner, detector, Join(repository, file) ?? link, lineNumber, null, commit)
                : null,
            Detector = detector,
            Platform = type.Platform,
            Kind = type.Kind,
            Verification = verified ? Verification.Verified : Verification.Unverified,
            Account = account,
            Organizations = organizations ?? [],
            Scopes = scopes ?? [],
            Role = role,
            WriteCapability = WriteCapabilityOf(type, role, scopes, verified, extra is not null),
            ExpiresAt = ScannerText.ParseTimestamp(extra?.Text("expiry", ignoreCase: true)),
            Repository = repository,
            File = file,
            LineNumber = lineNumber,
            Commit = commit,
            Link = link,
            Visibility = VisibilityOf(visibilityCode, sourceName),
            AuthorEmail = email,
            CommitTime = timestamp,
        };
    }

    private static string? SecretFrom(string? raw, string? redacted)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        return ScannerText.DecodeRawIfBase64(raw, redacted);
    }

    // ExtraData is whatever a detector's verifier chose to report; anything but an object is ignored, not an error.
    private static JsonFields? Extra(JsonElement root) =>
        root.TryGetProperty("ExtraData", out var extra) && extra.ValueKind == JsonValueKind.Object ? new JsonFields(extra, "ExtraData.") : null;

    // Hugging Face reports the token as "<displayName> (<role>)".
    private static string? RoleFrom(string? token)
    {
        if (token is null || !token.EndsWith(')')) return null;
        var open = token.LastIndexOf('(');
        if (open < 0) return null;
        var role = token[(open + 1)..^1].Trim();
        return role.Length == 0 ? null : role;
    }

    private static List<string>? ListFrom(string? text) =>
        text is null ? null : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static WriteCapability WriteCapabilityOf(TokenClass type, string? role, List<string>? scopes, bool verified, bool hasExtraData)
    {
        if (type.Platform == TokenPlatform.HuggingFace) return WriteScopes.ForHuggingFace(role);
        if (type.Platform != TokenPlatform.GitHub) return WriteCapability.Unknown;
        return type.Kind switch
        {
            // Fine-grained and app tokens have permissions, not scopes; TruffleHog does not report them.
            TokenKind.GitHubFineGrainedPat or TokenKind.GitHubAppInstallationToken or TokenKind.GitHubAppUserToken or TokenKind.GitHubRefreshToken
                => WriteCapability.Unknown,
            // TruffleHog writes "scopes" only when GitHub returned some: a verified answer without it means none were granted.
            _ => WriteScopes.ForGitHubClassic(scopes ?? (verified && hasExtraData ? [] : null), verified),
        };
    }

    // TruffleHog omits visibility when it is 0 (public); only the GitHub and Hugging Face sources report it at all.
    private static RepoVisibility VisibilityOf(int? code, string? sourceName)
    {
        if (code is { } c) return Enum.IsDefined((RepoVisibility)c) ? (RepoVisibility)c : RepoVisibility.Unknown;
        return string.Equals(sourceName, "Github", StringComparison.OrdinalIgnoreCase)
            || string.Equals(sourceName, "Huggingface", StringComparison.OrdinalIgnoreCase)
            ? RepoVisibility.Public
            : RepoVisibility.Unknown;
    }

    private static string? Join(string? repository, string? file) =>
        repository is null ? file : file is null ? repository : repository + "/" + file;

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return false;
        }
        return true;
    }
}
