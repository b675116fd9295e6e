using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GovernanceDashboard.Benchmarks;

/// <summary>Writes realistic TruffleHog v3 <c>--json</c> output of any size (fake tokens of the right shapes); the same seed
/// gives the same bytes.</summary>
/// <remarks>
/// Mix: Hugging Face user and org tokens, GitHub classic, fine-grained, OAuth, user-to-server, refresh and app installation
/// tokens (some of the new ~520-character kind), and AWS, Slack and Stripe keys (a share of the AWS ones base64-encoded, as
/// older TruffleHog builds write them). About 30 % of records repeat an earlier token: most at another place (a new
/// occurrence), 2 % as the very same line again (a duplicate, as TruffleHog writes when two sources see one commit). Sources
/// are Git, Github, Huggingface and Filesystem, with and without <c>visibility</c>; verified tokens carry the detectors'
/// ExtraData; about 1 % of lines are a few KB long (a long <c>Redacted</c> or <c>link</c>).
/// Every record and every token is drawn from its own seeded <see cref="Random"/>, so a repeat is rendered again rather than
/// remembered: memory stays at two ints per record whatever the size.
/// </remarks>
public static class TruffleHogGenerator
{
    private const double ExactRepeatShare = 0.02;
    private const double TokenRepeatShare = 0.30;
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alphanumerics = Letters + "0123456789";
    private const string Base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string Hex = "0123456789abcdef";

    private static readonly string[] Orgs =
        ["acme", "acme-research", "acme-ml", "contoso", "fabrikam", "northwind", "initech", "globex", "umbrella-ai", "hooli", "example", "tailspin"];
    private static readonly string[] RepoWords =
        ["api", "infra", "notebooks", "chat", "eval", "pipelines", "web", "deploy", "models", "datasets", "agents", "tools", "sdk", "docs", "mobile", "etl"];
    private static readonly string[] Directories =
        ["", "src/", "scripts/", "deploy/", "config/", ".github/workflows/", "notebooks/", "app/", "tests/fixtures/", "k8s/", "docker/", "training/"];
    private static readonly string[] FileNames =
        ["app.py", "train.py", "config.yaml", "settings.json", ".env", "push.sh", "eval.ipynb", "docker-compose.yml", "README.md", "ci.yml",
         "main.go", "index.ts", "upload_model.py", "secrets.tfvars", "Dockerfile", "values.yaml"];
    private static readonly string[] People = ["jdoe", "asmith", "mchen", "rpatel", "lgarcia", "okim", "tnguyen", "bmuller", "svolkov", "akhan"];
    private static readonly string[] GitHubScopes = ["repo", "workflow", "read:org", "gist", "write:packages", "read:packages", "admin:repo_hook", "user"];

    private enum Kind { HfUser, HfOrg, GitHubClassic, GitHubFineGrained, GitHubOAuth, GitHubUser, GitHubRefresh, GitHubApp, Aws, Slack, Stripe }

    // Share of new tokens per kind, in percent.
    private static readonly (Kind Kind, int Weight)[] KindWeights =
    [
        (Kind.HfUser, 24), (Kind.HfOrg, 7), (Kind.GitHubClassic, 20), (Kind.GitHubFineGrained, 10), (Kind.GitHubOAuth, 6),
        (Kind.GitHubUser, 3), (Kind.GitHubRefresh, 3), (Kind.GitHubApp, 8), (Kind.Aws, 10), (Kind.Slack, 5), (Kind.Stripe, 4),
    ];

    private static readonly int TotalWeight = KindWeights.Sum(k => k.Weight);

    /// <summary>Writes records lines of TruffleHog JSON to path (replacing it); the same records and seed give the same file.</summary>
    public static async Task WriteAsync(string path, int records, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(records);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        await using var json = new Utf8JsonWriter(buffer);
        var decisions = new Random(seed);
        // For each record: which rendering it repeats (itself when fresh) and which token it carries.
        var renderingOf = new int[records];
        var tokenOf = new int[records];
        var tokens = 0;
        for (var r = 0; r < records; r++)
        {
            var roll = decisions.NextDouble();
            if (r > 0 && roll < ExactRepeatShare)
            {
                var earlier = decisions.Next(r);
                renderingOf[r] = renderingOf[earlier];
                tokenOf[r] = tokenOf[earlier];
            }
            else
            {
                renderingOf[r] = r;
                tokenOf[r] = tokens > 0 && roll < TokenRepeatShare ? decisions.Next(tokens) : tokens++;
            }

            json.Reset();
            WriteRecord(json, seed, renderingOf[r], TokenSpec.Create(seed, tokenOf[r]));
            json.Flush();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= 1 << 20)
            {
                await file.WriteAsync(buffer.WrittenMemory);
                buffer.ResetWrittenCount();
            }
        }
        await file.WriteAsync(buffer.WrittenMemory);
    }

    private static void WriteRecord(Utf8JsonWriter w, int seed, int rendering, TokenSpec token)
    {
        var rng = new Random(Mix(seed, rendering, 1));
        var source = PickSource(rng, token.Kind);
        var org = Pick(rng, Orgs);
        var repoName = Pick(rng, RepoWords) + (rng.Next(4) == 0 ? "-" + Pick(rng, RepoWords) : "") + (rng.Next(3) == 0 ? rng.Next(1, 40).ToString(CultureInfo.InvariantCulture) : "");
        var file = Pick(rng, Directories) + (rng.Next(5) == 0 ? Pick(rng, RepoWords) + "/" : "") + Pick(rng, FileNames);
        var line = rng.Next(1, 2000);
        var commit = Random(rng, Hex, 40);
        var author = Pick(rng, People);
        var timestamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(rng.Next(0, 3 * 365 * 24 * 3600));
        var longLine = rng.Next(100) == 0;

        w.WriteStartObject();
        w.WriteStartObject("SourceMetadata");
        w.WriteStartObject("Data");
        switch (source)
        {
            case "Git":
            {
                w.WriteStartObject("Git");
                w.WriteString("commit", commit);
                w.WriteString("file", file);
                w.WriteString("email", $"{author} <{author}@{org}.example>");
                w.WriteString("repository", $"https://github.com/{org}/{repoName}");
                w.WriteString("timestamp", timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " -0700 -0700");
                w.WriteNumber("line", line);
                w.WriteEndObject();
                break;
            }
            case "Github":
            {
                var repository = $"https://github.com/{org}/{repoName}";
                w.WriteStartObject("Github");
                w.WriteString("link", Link(rng, $"{repository}/blob/{commit}/{file}#L{line}", longLine));
                w.WriteString("repository", rng.Next(2) == 0 ? repository + ".git" : repository);
                w.WriteString("commit", commit);
                w.WriteString("email", $"{author} <{author}@{org}.example>");
                w.WriteString("file", file);
                w.WriteString("timestamp", timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000 UTC");
                w.WriteNumber("line", line);
                WriteVisibility(w, rng);
                w.WriteEndObject();
                break;
            }
            case "Huggingface":
            {
                var resource = Pick(rng, ["space", "model", "dataset"]);
                var repository = $"https://huggingface.co/{(resource == "model" ? "" : resource + "s/")}{org}/{repoName}";
                w.WriteStartObject("Huggingface");
                w.WriteString("repository", repository);
                w.WriteString("commit", commit);
                w.WriteString("email", $"{author} <{author}@{org}.example>");
                w.WriteString("file", file);
                w.WriteString("timestamp", timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000");
                w.WriteNumber("line", line);
                w.WriteString("link", Link(rng, $"{repository}/blob/{commit}/{file}#L{line}", longLine));
                w.WriteString("resource_type", resource);
                WriteVisibility(w, rng);
                w.WriteEndObject();
                break;
            }
            default:
            {
                w.WriteStartObject("Filesystem");
                w.WriteString("file", $"/home/{author}/{org}/{repoName}/{file}");
                w.WriteNumber("line", line);
                w.WriteEndObject();
                break;
            }
        }
        w.WriteEndObject();
        w.WriteEndObject();

        var (sourceType, sourceName) = source switch
        {
            "Git" => (16, "trufflehog - git"),
            "Github" => (7, "trufflehog - github"),
            "Huggingface" => (36, "trufflehog - huggingface"),
            _ => (15, "trufflehog - filesystem"),
        };
        w.WriteNumber("SourceID", 1);
        w.WriteNumber("SourceType", sourceType);
        w.WriteString("SourceName", sourceName);
        w.WriteNumber("DetectorType", token.DetectorType);
        w.WriteString("DetectorName", token.Detector);
        w.WriteString("DetectorDescription", token.Description);
        w.WriteString("DecoderName", token.Base64 ? "BASE64" : "PLAIN");
        w.WriteBoolean("Verified", token.Verified);
        w.WriteBoolean("VerificationFromCache", rng.Next(5) == 0);
        w.WriteString("Raw", token.Raw);
        w.WriteString("RawV2", "");
        w.WriteString("Redacted", longLine && source is "Git" or "Filesystem" ? LongRedacted(rng) : token.Redacted);
        token.WriteExtraData(w);
        w.WriteNull("StructuredData");
        w.WriteEndObject();
    }

    private static string PickSource(Random rng, Kind kind)
    {
        var roll = rng.Next(100);
        if (kind is Kind.HfUser or Kind.HfOrg)
            return roll < 35 ? "Huggingface" : roll < 60 ? "Github" : roll < 85 ? "Git" : "Filesystem";
        return roll < 5 ? "Huggingface" : roll < 45 ? "Github" : roll < 82 ? "Git" : "Filesystem";
    }

    // TruffleHog omits visibility when it is 0 (public).
    private static void WriteVisibility(Utf8JsonWriter w, Random rng)
    {
        var roll = rng.Next(10);
        if (roll < 5) return;
        w.WriteNumber("visibility", roll < 8 ? 1 : roll < 9 ? 2 : 3);
    }

    private static string Link(Random rng, string link, bool longLine) =>
        longLine ? link + "?plain=1&context=" + Random(rng, Alphanumerics, rng.Next(2000, 6000)) : link;

    // A long multi-line redaction, as TruffleHog writes for a private key or a connection string.
    private static string LongRedacted(Random rng)
    {
        var text = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var lines = rng.Next(30, 90);
        for (var i = 0; i < lines; i++) text.Append(Random(rng, Alphanumerics, 70)).Append('\n');
        return text.ToString();
    }

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    private static string Random(Random rng, string alphabet, int length) =>
        string.Create(length, (rng, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = state.alphabet[state.rng.Next(state.alphabet.Length)];
        });

    // A well-mixed seed per (file seed, index, stream), stable across runs and runtimes (HashCode is randomised per process).
    private static int Mix(int seed, int index, int stream)
    {
        unchecked
        {
            var h = (uint)seed * 0x9E3779B1u ^ (uint)index * 0x85EBCA77u ^ (uint)stream * 0xC2B2AE3Du;
            h ^= h >> 16;
            h *= 0x7FEB352Du;
            h ^= h >> 15;
            h *= 0x846CA68Bu;
            h ^= h >> 16;
            return (int)(h & 0x7FFFFFFF);
        }
    }

    /// <summary>One distinct secret and what the detector's verifier says about it; the same (seed, index) gives the same token.</summary>
    private sealed class TokenSpec
    {
        private TokenSpec(Kind kind, string secret, bool verified)
        {
            Kind = kind;
            Secret = secret;
            Verified = verified;
        }

        public Kind Kind { get; }
        public string Secret { get; }
        public bool Verified { get; }
        public bool Base64 { get; private init; }
        public string Raw => Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)) : Secret;
        public string Redacted { get; private init; } = "";
        public string Detector { get; private init; } = "";
        public int DetectorType { get; private init; }
        public string Description { get; private init; } = "";
        private string? _account;
        private string? _role;
        private string? _tokenName;
        private string? _organizations;
        private string? _scopes;
        private string? _expiry;

        public static TokenSpec Create(int seed, int index)
        {
            var rng = new Random(Mix(seed, index, 2));
            var kind = PickKind(rng);
            var verified = rng.Next(100) < (kind is Kind.Aws or Kind.Slack or Kind.Stripe ? 30 : 45);
            var secret = kind switch
            {
                Kind.HfUser => "hf_" + Random(rng, Letters, 34),
                Kind.HfOrg => "api_org_" + Random(rng, Letters, 34),
                Kind.GitHubClassic => "ghp_" + Random(rng, Alphanumerics, 36),
                Kind.GitHubFineGrained => "github_pat_" + Random(rng, Alphanumerics, 22) + "_" + Random(rng, Alphanumerics, 59),
                Kind.GitHubOAuth => "gho_" + Random(rng, Alphanumerics, 36),
                Kind.GitHubUser => "ghu_" + Random(rng, Alphanumerics, 36),
                Kind.GitHubRefresh => "ghr_" + Random(rng, Alphanumerics, 36),
                // A third of installation tokens are of the new, long kind (~520 characters).
                Kind.GitHubApp => "ghs_" + Random(rng, Alphanumerics, rng.Next(3) == 0 ? 516 : 36),
                Kind.Aws => "AKIA" + Random(rng, Base32Upper, 16),
                Kind.Slack => $"xoxb-{Random(rng, "0123456789", 11)}-{Random(rng, "0123456789", 13)}-{Random(rng, Alphanumerics, 24)}",
                _ => "sk_live_" + Random(rng, Alphanumerics, 24),
            };
            var (detector, detectorType, description) = kind switch
            {
                Kind.HfUser or Kind.HfOrg => ("HuggingFace", 926, "HuggingFace token"),
                Kind.GitHubClassic or Kind.GitHubFineGrained => ("Github", 8, "GitHub personal access token"),
                Kind.GitHubOAuth => ("GitHubOauth2", 912, "GitHub OAuth2 token"),
                Kind.GitHubUser or Kind.GitHubRefresh or Kind.GitHubApp => ("GitHubApp", 9, "GitHub App token"),
                Kind.Aws => ("AWS", 2, "AWS access key"),
                Kind.Slack => ("Slack", 4, "Slack token"),
                _ => ("Stripe", 5, "Stripe API key"),
            };
            var base64 = kind == Kind.Aws && rng.Next(5) == 0;
            var spec = new TokenSpec(kind, secret, verified)
            {
                Detector = detector,
                DetectorType = detectorType,
                Description = description,
                Base64 = base64,
                Redacted = base64 || kind is Kind.Aws ? secret : kind is Kind.Slack or Kind.Stripe ? secret[..8] + "****************" : "",
            };
            if (verified) spec.DrawExtraData(rng);
            return spec;
        }

        private static Kind PickKind(Random rng)
        {
            var roll = rng.Next(TotalWeight);
            foreach (var (kind, weight) in KindWeights)
            {
                if (roll < weight) return kind;
                roll -= weight;
            }
            return Kind.Stripe;
        }

        private void DrawExtraData(Random rng)
        {
            _account = Pick(rng, People) + (rng.Next(3) == 0 ? rng.Next(1, 99).ToString(CultureInfo.InvariantCulture) : "");
            switch (Kind)
            {
                case Kind.HfUser:
                    _tokenName = Pick(rng, ["space-deploy", "eval", "ci", "upload", "laptop", "colab"])
                        + " (" + Pick(rng, ["write", "write", "read", "read", "fineGrained"]) + ")";
                    _organizations = string.Join(", ", Enumerable.Range(0, rng.Next(0, 4))
                        .Select(_ => Pick(rng, Orgs) + ":" + Pick(rng, ["admin", "write", "read", "contributor"])).Distinct());
                    break;
                case Kind.HfOrg:
                    _account = Pick(rng, Orgs);
                    _tokenName = "org-api (" + Pick(rng, ["write", "read"]) + ")";
                    break;
                case Kind.GitHubClassic or Kind.GitHubOAuth:
                    _scopes = string.Join(", ", GitHubScopes.Where(_ => rng.Next(3) == 0));
                    if (rng.Next(3) == 0) _expiry = "2027-0" + rng.Next(1, 9) + "-15 00:00:00 +0000 UTC";
                    break;
                case Kind.GitHubFineGrained:
                    _expiry = "2026-1" + rng.Next(0, 3) + "-01 00:00:00 +0000 UTC";
                    break;
                case Kind.GitHubApp or Kind.GitHubUser or Kind.GitHubRefresh:
                    _account = Pick(rng, Orgs) + "-bot[bot]";
                    break;
                default:
                    _role = Random(rng, "0123456789", 12);
                    break;
            }
        }

        public void WriteExtraData(Utf8JsonWriter w)
        {
            if (!Verified)
            {
                w.WriteNull("ExtraData");
                return;
            }
            w.WriteStartObject("ExtraData");
            switch (Kind)
            {
                case Kind.HfUser or Kind.HfOrg:
                    w.WriteString("Username", _account);
                    w.WriteString("Email", _account + "@example.com");
                    w.WriteString("Token", _tokenName);
                    if (!string.IsNullOrEmpty(_organizations)) w.WriteString("Organizations", _organizations);
                    break;
                case Kind.Aws:
                    w.WriteString("account", _role);
                    w.WriteString("arn", $"arn:aws:iam::{_role}:user/{_account}");
                    w.WriteString("user_id", "AIDA" + _role);
                    break;
                case Kind.Slack or Kind.Stripe:
                    w.WriteString("account", _role);
                    break;
                default:
                    w.WriteString("username", _account);
                    w.WriteString("url", "https://github.com/" + _account);
                    w.WriteString("account_type", _account!.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User");
                    if (!string.IsNullOrEmpty(_scopes)) w.WriteString("scopes", _scopes);
                    if (_expiry is not null) w.WriteString("expiry", _expiry);
                    break;
            }
            w.WriteEndObject();
        }
    }
}
