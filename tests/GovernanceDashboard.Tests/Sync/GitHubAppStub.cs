using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GovernanceDashboard.Tests.Sync;

/// <summary>A real Kestrel server on 127.0.0.1 standing in for GitHub's REST API as a GitHub App sees it: it holds the app's key pair
/// (the private half is written where the dashboard reads it), verifies every app JWT with the public half, issues installation
/// tokens, serves an organisation's secret scanning alerts (paged by <c>per_page</c>/<c>page</c> with a Link header, newest update
/// first), single alerts, and takes credential revocations. Every request is recorded.</summary>
public sealed class GitHubAppStub : IAsyncDisposable
{
    public const long AppId = 4242;
    public const long InstallationId = 77;

    private readonly RSA _key = RSA.Create(2048);
    private RecordingServer _server = null!;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new();
    private readonly List<JsonObject> _alerts = [];
    private int _tokens;

    private GitHubAppStub()
    {
    }

    public string BaseUrl => _server.BaseUrl;

    public IReadOnlyList<StubRequest> Requests => _server.Requests;

    /// <summary>Answers that replace the normal ones for matching requests (rate limits, outages); null: answer normally.</summary>
    public Func<StubRequest, StubAnswer?> Override { get; set; } = _ => null;

    /// <summary>How many app JWTs the stub verified with the app's public key, and how many it refused.</summary>
    public int JwtsVerified => _verified;
    public int JwtsRefused => _refused;

    private int _verified;
    private int _refused;

    /// <summary>The app's private key as GitHub lets its owner download it.</summary>
    public string PrivateKeyPem => _key.ExportRSAPrivateKeyPem();

    /// <summary>The settings that connect the dashboard to this stub, with the key written to <paramref name="keyPath"/>.</summary>
    public Dictionary<string, string?> Settings(string keyPath, string webhookSecret = "webhook-secret-for-tests")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(keyPath)!);
        File.WriteAllText(keyPath, PrivateKeyPem);
        return new()
        {
            ["GitHub:ApiBaseUrl"] = BaseUrl,
            ["GitHub:App:Id"] = AppId.ToString(CultureInfo.InvariantCulture),
            ["GitHub:App:InstallationId"] = InstallationId.ToString(CultureInfo.InvariantCulture),
            ["GitHub:App:PrivateKeyPath"] = keyPath,
            ["GitHub:Organizations:0"] = "acme",
            ["GitHub:WebhookSecret"] = webhookSecret,
            ["Remediation:Http:TimeoutSeconds"] = "5",
            ["Remediation:Http:Retries"] = "0",
        };
    }

    public static async Task<GitHubAppStub> StartAsync()
    {
        var stub = new GitHubAppStub();
        stub._server = await RecordingServer.StartAsync(async (http, request) => stub.Override(request) ?? await stub.AnswerAsync(http, request));
        return stub;
    }

    /// <summary>Adds (or replaces, by number) an alert as GitHub's REST API returns it.</summary>
    public void Put(JsonObject alert)
    {
        lock (_alerts)
        {
            _alerts.RemoveAll(a => (long)a["number"]! == (long)alert["number"]!);
            _alerts.Add(alert);
        }
    }

    /// <summary>An org alert of acme/app with the secret (a GitHub classic PAT unless given).</summary>
    public static JsonObject Alert(long number, string secret, DateTimeOffset created, DateTimeOffset updated, string state = "open",
        string? resolution = null, DateTimeOffset? resolvedAt = null, string repository = "acme/app") => new()
    {
        ["number"] = number,
        ["created_at"] = created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["updated_at"] = updated.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["url"] = $"https://api.github.com/repos/{repository}/secret-scanning/alerts/{number}",
        ["html_url"] = $"https://github.com/{repository}/security/secret-scanning/{number}",
        ["state"] = state,
        ["resolution"] = resolution,
        ["resolved_at"] = resolvedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["secret_type"] = "github_personal_access_token",
        ["secret_type_display_name"] = "GitHub Personal Access Token",
        ["secret"] = secret,
        ["validity"] = "active",
        ["publicly_leaked"] = false,
        ["repository"] = new JsonObject { ["full_name"] = repository, ["private"] = true, ["html_url"] = $"https://github.com/{repository}" },
        ["first_location_detected"] = new JsonObject { ["path"] = "config/settings.py", ["start_line"] = 3, ["start_column"] = 12, ["commit_sha"] = new string('a', 40) },
    };

    /// <summary>A classic PAT of the test's own (ghp_ + 36 characters).</summary>
    public static string Secret(int n) => string.Create(CultureInfo.InvariantCulture, $"ghp_LiveSync{n:D6}AbCdEfGhIjKlMnOpQrSt");

    private async Task<StubAnswer> AnswerAsync(HttpContext http, StubRequest request)
    {
        var segments = http.Request.Path.Value!.Trim('/').Split('/');
        if (request.Method == "POST" && segments is ["app", "installations", var installation, "access_tokens"])
        {
            if (!await VerifiesAsync(request.Authorization)) return Error(401, "A JSON web token could not be decoded");
            if (installation != InstallationId.ToString(CultureInfo.InvariantCulture)) return Error(404, "Not Found");
            var token = $"ghs_stubInstallation{Interlocked.Increment(ref _tokens):D4}";
            var expires = DateTimeOffset.UtcNow.AddHours(1);
            _issued[token] = expires;
            return new StubAnswer(201, JsonSerializer.Serialize(new { token, expires_at = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) }));
        }
        if (request.Method == "POST" && segments is ["credentials", "revoke"]) return new StubAnswer(202);
        if (!InstallationTokenIsValid(request.Authorization)) return Error(401, "Bad credentials");
        if (request.Method == "GET" && segments is ["orgs", var org, "secret-scanning", "alerts"]) return Page(http, org);
        if (request.Method == "GET" && segments is ["repos", var owner, var repo, "secret-scanning", "alerts", var number])
        {
            lock (_alerts)
            {
                var alert = _alerts.FirstOrDefault(a => a["repository"]!["full_name"]!.GetValue<string>() == $"{owner}/{repo}" && a["number"]!.ToString() == number);
                return alert is null ? Error(404, "Not Found") : new StubAnswer(200, alert.ToJsonString());
            }
        }
        return Error(404, "Not Found");
    }

    private StubAnswer Page(HttpContext http, string org)
    {
        var query = http.Request.Query;
        var perPage = int.TryParse(query["per_page"], out var p) ? p : 30;
        var page = int.TryParse(query["page"], out var n) ? n : 1;
        List<JsonObject> sorted;
        lock (_alerts)
            sorted = [.. _alerts.Where(a => a["repository"]!["full_name"]!.GetValue<string>().StartsWith(org + "/", StringComparison.Ordinal))
                .OrderByDescending(a => a["updated_at"]!.GetValue<string>(), StringComparer.Ordinal).ThenByDescending(a => (long)a["number"]!)];
        var items = sorted.Skip((page - 1) * perPage).Take(perPage).Select(a => a.DeepClone()).ToArray();
        var headers = new Dictionary<string, string>();
        if (page * perPage < sorted.Count)
        {
            var next = $"{BaseUrl}/orgs/{org}/secret-scanning/alerts?per_page={perPage}&sort={query["sort"]}&direction={query["direction"]}&page={page + 1}";
            headers["Link"] = $"<{next}>; rel=\"next\", <{BaseUrl}/orgs/{org}/secret-scanning/alerts?per_page={perPage}&page=1>; rel=\"first\"";
        }
        return new StubAnswer(200, new JsonArray(items).ToJsonString(), headers);
    }

    private async Task<bool> VerifiesAsync(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return Refused();
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(authorization["Bearer ".Length..], new TokenValidationParameters
        {
            ValidIssuer = AppId.ToString(CultureInfo.InvariantCulture),
            ValidateAudience = false,
            IssuerSigningKey = new RsaSecurityKey(_key.ExportParameters(includePrivateParameters: false)),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
        });
        if (!result.IsValid) return Refused();
        Interlocked.Increment(ref _verified);
        return true;
    }

    private bool Refused()
    {
        Interlocked.Increment(ref _refused);
        return false;
    }

    private bool InstallationTokenIsValid(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
        && _issued.TryGetValue(authorization["Bearer ".Length..], out var expires) && expires > DateTimeOffset.UtcNow;

    private static StubAnswer Error(int status, string message) =>
        new(status, JsonSerializer.Serialize(new { message, documentation_url = "https://docs.github.com/rest" }));

    /// <summary>A webhook delivery as GitHub signs it: X-Hub-Signature-256 is the HMAC-SHA-256 of the body with the shared secret.</summary>
    public static HttpRequestMessage Delivery(string secret, string deliveryId, long number, string action = "created", string eventName = "secret_scanning_alert",
        string repository = "acme/app", string? signatureOverride = null)
    {
        var body = JsonSerializer.Serialize(new
        {
            action,
            alert = new { number, secret_type = "github_personal_access_token", state = "open", html_url = $"https://github.com/{repository}/security/secret-scanning/{number}" },
            repository = new { full_name = repository, @private = true },
            installation = new { id = InstallationId },
        });
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-Hub-Signature-256", signatureOverride ?? "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
    }
}
