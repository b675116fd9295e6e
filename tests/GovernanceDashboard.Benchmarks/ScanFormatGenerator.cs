using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace GovernanceDashboard.Benchmarks;

/// <summary>Writes a Gitleaks JSON report or a GitHub secret scanning alerts list (one JSON array each) carrying the same
/// findings as a TruffleHog file from <see cref="TruffleHogGenerator"/>: the same secrets, places and repeats, so the three
/// formats compare like for like.</summary>
/// <remarks>Streams: one TruffleHog line is read and one element written at a time. An alert is one per place, so its
/// number is the line's; a line TruffleHog repeats exactly becomes a second copy of the same alert (a duplicate), as when
/// two pages of one listing overlap.</remarks>
public static class ScanFormatGenerator
{
    public const string Gitleaks = "gitleaks";
    public const string GitHubAlerts = "github-alerts";

    public static async Task WriteAsync(string format, string truffleHogFile, string path)
    {
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = format == GitHubAlerts });
        json.WriteStartArray();
        var places = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(truffleHogFile))
        {
            if (line.Length == 0) continue;
            using var document = JsonDocument.Parse(line);
            var record = Read(document.RootElement);
            if (format == Gitleaks) WriteGitleaks(json, record);
            else WriteAlert(json, record, places);
            if (buffer.WrittenCount > 1 << 19)
            {
                await json.FlushAsync();
                await output.WriteAsync(buffer.WrittenMemory);
                buffer.ResetWrittenCount();
            }
        }
        json.WriteEndArray();
        await json.FlushAsync();
        await output.WriteAsync(buffer.WrittenMemory);
    }

    private sealed record Source(string Secret, string Detector, bool Verified, string? Repository, string? File, long? Line, string? Commit, string? Email, string? Timestamp);

    private static Source Read(JsonElement root)
    {
        string? repository = null, file = null, commit = null, email = null, timestamp = null;
        long? line = null;
        if (root.TryGetProperty("SourceMetadata", out var metadata) && metadata.TryGetProperty("Data", out var data))
        {
            foreach (var source in data.EnumerateObject())
            {
                if (source.Value.ValueKind != JsonValueKind.Object) continue;
                repository = Text(source.Value, "repository");
                file = Text(source.Value, "file") ?? Text(source.Value, "path");
                commit = Text(source.Value, "commit");
                email = Text(source.Value, "email");
                timestamp = Text(source.Value, "timestamp");
                line = source.Value.TryGetProperty("line", out var n) && n.TryGetInt64(out var l) ? l : null;
                break;
            }
        }
        return new Source(Text(root, "Raw") ?? "", Text(root, "DetectorName") ?? "unknown",
            root.TryGetProperty("Verified", out var v) && v.ValueKind == JsonValueKind.True, repository, file, line, commit, email, timestamp);
    }

    private static void WriteGitleaks(Utf8JsonWriter w, Source r)
    {
        w.WriteStartObject();
        w.WriteString("Description", r.Detector + " token");
        w.WriteNumber("StartLine", r.Line ?? 1);
        w.WriteNumber("EndLine", r.Line ?? 1);
        w.WriteNumber("StartColumn", 9);
        w.WriteNumber("EndColumn", 9 + r.Secret.Length);
        w.WriteString("Match", "token = " + r.Secret);
        w.WriteString("Secret", r.Secret);
        w.WriteString("File", r.File ?? "unknown");
        w.WriteString("SymlinkFile", "");
        w.WriteString("Commit", r.Commit ?? "");
        w.WriteNumber("Entropy", 4.5);
        w.WriteString("Author", "dev");
        w.WriteString("Email", r.Email is { } e && e.Contains('<', StringComparison.Ordinal) ? e[(e.IndexOf('<', StringComparison.Ordinal) + 1)..].TrimEnd('>') : "dev@example.com");
        w.WriteString("Date", "2026-09-01T10:00:00Z");
        w.WriteString("Message", "update config");
        w.WriteStartArray("Tags");
        w.WriteEndArray();
        w.WriteString("RuleID", GitleaksRule(r.Detector));
        w.WriteString("Fingerprint", $"{r.Commit}:{r.File}:{GitleaksRule(r.Detector)}:{r.Line}");
        w.WriteEndObject();
    }

    private static string GitleaksRule(string detector) => detector switch
    {
        "HuggingFace" => "huggingface-access-token",
        "Github" or "GitHub" => "github-pat",
        "GitHubApp" => "github-app-token",
        "AWS" => "aws-access-token",
        "Slack" => "slack-bot-token",
        "Stripe" => "stripe-access-token",
        _ => "generic-api-key",
    };

    private static void WriteAlert(Utf8JsonWriter w, Source r, Dictionary<string, int> places)
    {
        var fullName = FullName(r.Repository);
        var place = string.Create(CultureInfo.InvariantCulture, $"{fullName}\n{r.File}\n{r.Line}\n{r.Commit}\n{r.Secret}");
        if (!places.TryGetValue(place, out var number)) places[place] = number = places.Count + 1;
        w.WriteStartObject();
        w.WriteNumber("number", number);
        w.WriteString("created_at", "2026-09-01T10:00:00Z");
        w.WriteNull("updated_at");
        w.WriteString("url", $"https://api.github.com/repos/{fullName}/secret-scanning/alerts/{number}");
        w.WriteString("html_url", $"https://github.com/{fullName}/security/secret-scanning/{number}");
        w.WriteString("locations_url", $"https://api.github.com/repos/{fullName}/secret-scanning/alerts/{number}/locations");
        w.WriteString("state", "open");
        w.WriteNull("resolution");
        w.WriteNull("resolved_at");
        w.WriteNull("resolved_by");
        w.WriteString("secret_type", AlertType(r.Detector));
        w.WriteString("secret_type_display_name", r.Detector + " token");
        w.WriteString("secret", r.Secret);
        w.WriteStartObject("repository");
        w.WriteString("full_name", fullName);
        w.WriteString("html_url", "https://github.com/" + fullName);
        w.WriteBoolean("private", number % 3 == 0);
        w.WriteEndObject();
        w.WriteStartObject("first_location_detected");
        w.WriteString("path", r.File ?? "unknown");
        w.WriteNumber("start_line", r.Line ?? 1);
        w.WriteNumber("end_line", r.Line ?? 1);
        w.WriteNumber("start_column", 9);
        w.WriteNumber("end_column", 9 + r.Secret.Length);
        w.WriteString("commit_sha", r.Commit ?? "0000000000000000000000000000000000000000");
        w.WriteEndObject();
        w.WriteBoolean("push_protection_bypassed", false);
        w.WriteString("validity", r.Verified ? "active" : "unknown");
        w.WriteBoolean("publicly_leaked", false);
        w.WriteBoolean("multi_repo", false);
        w.WriteEndObject();
    }

    private static string AlertType(string detector) => detector switch
    {
        "HuggingFace" => "hf_user_access_token",
        "Github" or "GitHub" => "github_personal_access_token",
        "GitHubApp" => "github_app_installation_access_token",
        "AWS" => "aws_access_key_id",
        "Slack" => "slack_api_token",
        "Stripe" => "stripe_api_key",
        _ => "generic_secret",
    };

    private static string FullName(string? repository)
    {
        if (repository is null) return "acme/unknown";
        var trimmed = repository.TrimEnd('/');
        if (trimmed.EndsWith(".git", StringComparison.Ordinal)) trimmed = trimmed[..^4];
        var parts = trimmed.Split('/');
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : "acme/" + trimmed;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
