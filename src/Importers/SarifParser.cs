namespace GovernanceDashboard.Importers;

/// <summary>Reads SARIF 2.1.0 from a secret scanner (gitleaks, trufflehog, secretlint…), streaming <c>runs[].results[]</c>.
/// Only results of secret-scanning rules are findings (<see cref="SecretRules"/>); the others come out as
/// <see cref="SkippedRecord"/>s, and a file with no secret-scanning result and no secret scanner's run is rejected.</summary>
public static class SarifParser
{
    /// <summary>The scanner name used when a run's results come before its tool description.</summary>
    public const string UnnamedScanner = "SARIF";

    private const int MaxToolBytes = 16 * 1024 * 1024;
    private const int MaxRuleIds = 100_000;

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Iterate(stream);
    }

    private static IEnumerable<ParsedItem> Iterate(Stream stream)
    {
        const string format = ImportFormats.Sarif;
        var json = new JsonStream(stream, format);
        json.RequireContent(ImportFormats.Describe(format));
        json.Read();
        if (json.TokenType != JsonTokenType.StartObject)
        {
            throw new ImportRejectedException(format,
                $"Expected {ImportFormats.Describe(format)}, but line {json.TokenLine} starts {JsonRecords.Describe(json.TokenType)}.",
                json.TokenLine, json.TokenOffset);
        }

        var sawRuns = false;
        var runs = new List<RunInfo>();
        while (json.Read() && json.Depth > 0)
        {
            var name = json.StringValue;
            var nameLine = json.TokenLine;
            json.Read();
            if (name == "version")
            {
                if (json.TokenType != JsonTokenType.String || !(json.StringValue ?? "").StartsWith("2.", StringComparison.Ordinal))
                {
                    throw new ImportRejectedException(format,
                        $"Line {nameLine}: the SARIF version is not 2.x; expected {ImportFormats.Describe(format)}.", nameLine);
                }
            }
            else if (name == "runs" && json.TokenType == JsonTokenType.StartArray)
            {
                sawRuns = true;
                while (json.Read() && !(json.TokenType == JsonTokenType.EndArray && json.Depth == 1))
                {
                    if (json.TokenType != JsonTokenType.StartObject)
                    {
                        json.Skip();
                        continue;
                    }
                    var run = new RunInfo();
                    runs.Add(run);
                    foreach (var item in Run(json, run)) yield return item;
                }
            }
            else
            {
                json.Skip();
            }
        }

        if (!sawRuns)
        {
            throw new ImportRejectedException(format,
                $"The top-level object has no \"runs\" array; expected {ImportFormats.Describe(format)}.", 1);
        }

        // Anything but whitespace after the object makes the reader reject the file.
        while (json.Read())
        {
        }

        // A clean scan by a secret scanner has no results and is fine; a report of code problems (CodeQL, linters) is not
        // a secret scanner's report at all, and importing it would open an exposure per code smell.
        if (runs.Sum(r => r.SecretResults) == 0 && !runs.Any(r => r.IsSecretScanner))
        {
            var others = runs.Sum(r => r.OtherResults);
            var tools = string.Join(", ", runs.Select(r => r.Scanner).Where(SafeToName).Distinct().Take(3));
            throw new ImportRejectedException(format,
                $"This SARIF holds no result of a secret-scanning rule ({others} result(s){(tools.Length > 0 ? " from " + tools : "")}, none about a " +
                "secret, credential, token or key): it is not a secret scanner's report, and nothing was imported. Import the SARIF of a secret " +
                "scanner (gitleaks, trufflehog, secretlint, ggshield, …).", 1);
        }
    }

    // A driver name is shown in a message only when it cannot be a secret.
    private static bool SafeToName(string name) =>
        name != UnnamedScanner && name.Length <= 60 && TokenClassifier.KnownPrefixOf(name) is null && !name.Any(char.IsControl);

    // One runs[] element: remembers the tool, then streams the results.
    private static IEnumerable<ParsedItem> Run(JsonStream json, RunInfo run)
    {
        var runDepth = json.Depth;
        while (json.Read() && !(json.TokenType == JsonTokenType.EndObject && json.Depth == runDepth))
        {
            var name = json.StringValue;
            json.Read();
            if (name == "tool" && json.TokenType == JsonTokenType.StartObject)
            {
                using var tool = json.Capture(out _, MaxToolBytes);
                if (tool is not null) run.ReadTool(tool.RootElement);
            }
            else if (name == "results" && json.TokenType == JsonTokenType.StartArray)
            {
                var resultsDepth = json.Depth;
                while (json.Read() && !(json.TokenType == JsonTokenType.EndArray && json.Depth == resultsDepth))
                {
                    foreach (var item in JsonRecords.Element(json, ImportFormats.Sarif, run.Map, first: false)) yield return item;
                }
            }
            else
            {
                json.Skip();
            }
        }
    }

    private sealed class RunInfo
    {
        private readonly List<string> _ruleIds = [];
        private readonly List<bool> _ruleIsSecret = [];
        private readonly HashSet<string> _secretRuleIds = new(StringComparer.Ordinal);

        public string Scanner { get; private set; } = UnnamedScanner;

        /// <summary>The driver is a tool that only reports secrets: every result is a finding.</summary>
        public bool IsSecretScanner { get; private set; }

        public int SecretResults { get; private set; }
        public int OtherResults { get; private set; }

        public void ReadTool(JsonElement tool)
        {
            var driver = new JsonFields(tool).Object("driver");
            if (driver?.Text("name") is { } name) Scanner = name;
            IsSecretScanner = SecretRules.IsSecretScanner(Scanner);
            if (driver?.Element("rules") is not { ValueKind: JsonValueKind.Array } rules) return;
            foreach (var rule in rules.EnumerateArray())
            {
                if (_ruleIds.Count >= MaxRuleIds) break;
                // Keep positions aligned with ruleIndex even for rules without a readable id.
                var fields = rule.ValueKind == JsonValueKind.Object ? new JsonFields(rule) : null;
                var id = fields?.Text("id") ?? "";
                var secret = fields is not null && (SecretRules.IsSecretRule(RuleTexts(fields)) || SecretRules.NamesAKnownToken(id, null));
                _ruleIds.Add(id);
                _ruleIsSecret.Add(secret);
                if (secret && id.Length > 0) _secretRuleIds.Add(id);
            }
        }

        // What a rule says about itself: id, name, descriptions and tags (SARIF puts tags in properties).
        private static IEnumerable<string?> RuleTexts(JsonFields rule)
        {
            yield return rule.Text("id");
            yield return rule.Text("name");
            yield return rule.Object("shortDescription")?.Text("text");
            yield return rule.Object("properties")?.Text("name");
            foreach (var tag in Tags(rule)) yield return tag;
        }

        // properties.tags: an array of strings (SARIF), or one comma-separated string (gitleaks 7); anything else is no tags,
        // never an error of the result.
        private static List<string> Tags(JsonFields owner)
        {
            var list = new List<string>();
            if (owner.Element("properties") is not { ValueKind: JsonValueKind.Object } properties
                || !properties.TryGetProperty("tags", out var tags)) return list;
            var values = tags.ValueKind switch
            {
                JsonValueKind.Array => tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).ToList(),
                JsonValueKind.String => [tags],
                _ => [],
            };
            foreach (var value in values)
            {
                try
                {
                    if (value.GetString() is { Length: > 0 } text) list.Add(text);
                }
                catch (InvalidOperationException)
                {
                    // Invalid UTF-8 in a tag says nothing about the rule.
                }
            }
            return list;
        }

        public ParsedItem Map(JsonElement element, int line, bool first)
        {
            var item = MapResult(element, line);
            if (item is SkippedRecord) OtherResults++;
            else SecretResults++;
            return item;
        }

        private ParsedItem MapResult(JsonElement element, int line)
        {
            var f = new JsonFields(element);
            var ruleId = f.Text("ruleId") ?? f.Object("rule")?.Text("id");
            var ruleIndex = f.Int("ruleIndex");
            var message = f.Object("message")?.String("text");
            if (!IsSecretResult(f, ruleId, ruleIndex, message)) return new SkippedRecord(line, "not a secret finding");
            var physical = FirstLocation(f)?.Object("physicalLocation");
            var uri = physical?.Object("artifactLocation")?.Text("uri");
            var region = physical?.Object("region");
            var startLine = region?.Int("startLine");
            var startColumn = region?.Int("startColumn");
            var snippet = region?.Object("snippet")?.String("text");
            var properties = f.Object("properties");
            var offender = properties?.String("offender");
            var fingerprints = f.StringMap("partialFingerprints");
            var commit = ScannerText.Commit(properties?.Scalar("commit") ?? properties?.Scalar("commitSha") ?? Get(fingerprints, "commitSha"));
            var email = ScannerText.Email(properties?.Scalar("email") ?? Get(fingerprints, "email"));
            var date = ScannerText.ParseTimestamp(properties?.Scalar("date") ?? Get(fingerprints, "date"));
            var repository = ScannerText.Repository(properties?.Scalar("repo") ?? properties?.Scalar("repository"));
            var link = properties?.Scalar("link");
            if (f.Error is { } error) return new RejectedRecord(line, error);

            ruleId ??= ruleIndex is { } i && i >= 0 && i < _ruleIds.Count && _ruleIds[i].Length > 0 ? _ruleIds[i] : null;
            ruleId ??= RuleFromMessage(message) ?? "unknown";

            // gitleaks 7 wrote the source line as the snippet and the value as properties.offender; gitleaks 8 has no offender
            // and writes the value as the snippet.
            var secret = SecretOf(offender, snippet, SecretRules.SnippetIsTheSecret(Scanner) && properties?.Has("offender") != true);
            if (secret is null && uri is null && link is null)
            {
                return new RejectedRecord(line, "no secret and no location");
            }

            var type = TokenClassifier.Classify(secret, ruleId);
            return new Finding(line)
            {
                Scanner = Scanner,
                Secret = secret,
                LocationKey = secret is null
                    ? ScannerText.LocationKey(Scanner, ruleId, uri ?? link, startLine, startColumn, Fingerprint(fingerprints))
                    : null,
                Detector = ruleId,
                Platform = type.Platform,
                Kind = type.Kind,
                Verification = Verification.Unverified,
                WriteCapability = WriteCapability.Unknown,
                Repository = repository ?? ScannerText.RepositoryFromLink(link),
                File = uri,
                LineNumber = startLine,
                Column = startColumn,
                Commit = commit,
                Link = link,
                AuthorEmail = email,
                CommitTime = date,
            };
        }

        // By the driver, by the rule's metadata (from the driver's rules, or the result's own id and tags), or because it
        // names a token kind or holds a value this dashboard knows. A result that cannot be read is a finding, so that it is
        // rejected with its reason rather than silently skipped.
        private bool IsSecretResult(JsonFields f, string? ruleId, int? ruleIndex, string? message)
        {
            if (IsSecretScanner || f.Error is not null) return true;
            if (ruleIndex is { } i && i >= 0 && i < _ruleIsSecret.Count && _ruleIsSecret[i]) return true;
            if (ruleId is not null && _secretRuleIds.Contains(ruleId)) return true;
            var snippet = FirstLocation(f)?.Object("physicalLocation")?.Object("region")?.Object("snippet")?.String("text");
            if (SecretRules.NamesAKnownToken(ruleId, snippet)) return true;
            var tags = Tags(f);
            return SecretRules.IsSecretRule([ruleId, .. tags]) || (ruleId is null && ruleIndex is null && SecretRules.IsSecretRule([RuleFromMessage(message)]));
        }

        private static JsonFields? FirstLocation(JsonFields result)
        {
            if (result.Element("locations") is not { ValueKind: JsonValueKind.Array } locations || locations.GetArrayLength() == 0) return null;
            var first = locations[0];
            return first.ValueKind == JsonValueKind.Object ? new JsonFields(first, "locations[0].") : null;
        }

        // gitleaks puts the value in properties.offender (v7) or the snippet (v8 without --redact), exactly as its JSON
        // report's Secret, so it is taken as it is (the same finding in both reports is one token). Other tools put stars or
        // a whole source line there, which is not the secret: their snippet counts only when it looks like one value.
        private static string? SecretOf(string? offender, string? snippet, bool snippetIsTheSecret)
        {
            if (!string.IsNullOrWhiteSpace(offender) && !ScannerText.GivesNoValue(offender)) return offender.Trim();
            if (snippetIsTheSecret) return string.IsNullOrWhiteSpace(snippet) || ScannerText.GivesNoValue(snippet) ? null : snippet;
            if (ScannerText.IsPlausibleSingleSecret(snippet)) return snippet!.Trim();
            return null;
        }

        // "AWS Access Key secret detected", "github-pat has detected secret for file x." → the rule's name.
        private static string? RuleFromMessage(string? message)
        {
            if (string.IsNullOrWhiteSpace(message)) return null;
            var text = message.Trim();
            foreach (var marker in new[] { " has detected secret", " secret detected", " detected" })
            {
                var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
                if (at > 0)
                {
                    text = text[..at];
                    break;
                }
            }
            // A message is free text and may quote the value: keep only words that cannot be a secret.
            var words = text.Trim().TrimEnd('.').Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(w => TokenClassifier.KnownPrefixOf(w) is null && w.Length <= 40 && !(w.Length >= 12 && w.Any(char.IsDigit)));
            text = string.Join(' ', words);
            if (text.Length > 100) text = text[..100];
            return text.Length == 0 ? null : text;
        }

        private static string? Get(IReadOnlyList<KeyValuePair<string, string>>? map, string key) =>
            map?.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } v ? v : null;

        // Stable across re-imports: sorted, and without free text such as a commit message.
        private static string? Fingerprint(IReadOnlyList<KeyValuePair<string, string>>? map)
        {
            if (map is null || map.Count == 0) return null;
            var parts = map
                .Where(p => !string.Equals(p.Key, "commitMessage", StringComparison.OrdinalIgnoreCase))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => p.Key + "=" + p.Value);
            var joined = string.Join(";", parts);
            return joined.Length == 0 ? null : joined;
        }
    }
}
