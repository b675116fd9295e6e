namespace GovernanceDashboard.Importers;

/// <summary>Reads a GitHub secret scanning alerts REST response (org or repo list, a JSON array) into findings; several pages
/// as <c>gh api --paginate</c> writes them (back to back, or with <c>--slurp</c> an array of pages) read as one list.</summary>
public static class GitHubAlertsParser
{
    public const string Scanner = "GitHub";

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return JsonRecords.Pages(stream, ImportFormats.GitHubAlerts, Map);
    }

    private static ParsedItem Map(JsonElement element, int line, bool first)
    {
        var f = new JsonFields(element);
        if (!f.Has("number") && !f.Has("secret_type"))
        {
            if (!first) return new RejectedRecord(line, "not a secret scanning alert (no number or secret_type)");
            throw new ImportRejectedException(ImportFormats.GitHubAlerts,
                $"The first element (line {line}) has neither number nor secret_type; expected {ImportFormats.Describe(ImportFormats.GitHubAlerts)}.",
                line);
        }

        var number = f.Long("number");
        var secretType = f.Text("secret_type") ?? "unknown";
        var rawSecret = f.String("secret");
        var repository = f.Object("repository");
        var fullName = repository?.Text("full_name");
        var isPrivate = repository?.Bool("private");
        var repositoryUrl = repository?.Text("html_url");
        var location = f.Object("first_location_detected");
        var path = location?.Text("path");
        var startLine = location?.Int("start_line");
        var startColumn = location?.Int("start_column");
        var commit = ScannerText.Commit(location?.Text("commit_sha"));
        var htmlUrl = f.Text("html_url");
        var validity = f.Text("validity");
        var createdAt = f.Timestamp("created_at");
        var state = f.Text("state");
        var resolution = f.Text("resolution");
        var resolvedAt = f.Timestamp("resolved_at");
        var publiclyLeaked = f.Bool("publicly_leaked") ?? false;
        if (f.Error is { } error) return new RejectedRecord(line, error);

        fullName ??= FullNameFromAlertUrl(htmlUrl);
        var secret = string.IsNullOrWhiteSpace(rawSecret) ? null : rawSecret;
        if (secret is null && (fullName is null || number is null))
        {
            return new RejectedRecord(line, "secret hidden and no repository and alert number to identify it");
        }

        var type = TokenClassifier.Classify(secret, secretType);
        return new Finding(line)
        {
            Scanner = Scanner,
            Secret = secret,
            LocationKey = secret is null ? string.Create(CultureInfo.InvariantCulture, $"github:{fullName}#{number}") : null,
            Detector = secretType,
            Platform = type.Platform,
            Kind = type.Kind,
            Verification = VerificationOf(validity),
            // Alerts carry no scopes or permissions.
            WriteCapability = WriteCapability.Unknown,
            Repository = ScannerText.Repository(repositoryUrl) ?? (fullName is null ? null : "https://github.com/" + fullName),
            File = path,
            LineNumber = startLine,
            Column = startColumn,
            Commit = commit,
            Link = htmlUrl,
            Visibility = isPrivate switch { true => RepoVisibility.Private, false => RepoVisibility.Public, null => RepoVisibility.Unknown },
            AlertNumber = number,
            AlertCreatedAt = createdAt,
            AlertState = state,
            AlertResolution = resolution,
            AlertResolvedAt = resolvedAt,
            PubliclyLeaked = publiclyLeaked,
        };
    }

    private static Verification VerificationOf(string? validity) => validity?.ToLowerInvariant() switch
    {
        "active" => Verification.Verified,
        "inactive" => Verification.Inactive,
        _ => Verification.Unknown,
    };

    // https://github.com/{owner}/{repo}/security/secret-scanning/{n}: used only when the repository object is missing.
    private static string? FullNameFromAlertUrl(string? htmlUrl)
    {
        if (htmlUrl is null || !Uri.TryCreate(htmlUrl, UriKind.Absolute, out var uri)) return null;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 4 && segments[2] == "security" ? segments[0] + "/" + segments[1] : null;
    }
}
