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
/// first), single alerts, and takes credential revocations; for the organisation sync, an organisation's fine-grained PATs (and the
/// repositories of those limited to a subset), its PAT requests (taking approve / deny decisions once), PAT access revocations and,
/// for a SAML SSO organisation, its credential authorisations. Every request is recorded.</summary>
public sealed class GitHubAppStub : IAsyncDisposable
{
    public const long AppId = 4242;
    public const long InstallationId = 77;

    private readonly RSA _key = RSA.Create(2048);
    private RecordingServer _server = null!;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _issued = new();
    private readonly List<JsonObject> _alerts = [];
    private readonly Dictionary<string, List<JsonObject>> _pats = [];
    private readonly Dictionary<long, string[]> _repositories = [];
    private readonly Dictionary<string, string[]> _orgRepositories = [];
    private readonly Dictionary<string, (long Stars, long Forks)> _repositoryFigures = [];
    private readonly Dictionary<string, List<JsonObject>> _patRequests = [];
    private readonly Dictionary<string, List<JsonObject>> _credentialAuthorizations = [];
    private readonly ConcurrentQueue<StubDecision> _decisions = new();
    private readonly ConcurrentQueue<(string Org, long PatId)> _revocations = new();
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

    /// <summary>The decisions GitHub took (a request decided once; a second decision is refused with 422 and not listed here).</summary>
    public IReadOnlyList<StubDecision> Decisions => [.. _decisions];

    /// <summary>The PAT grants whose organisation access was revoked.</summary>
    public IReadOnlyList<(string Org, long PatId)> Revocations => [.. _revocations];

    /// <summary>Adds (or replaces, by token id) a fine-grained PAT with access to <paramref name="org"/>; a "subset" one gets its repositories.</summary>
    public void PutPat(string org, JsonObject pat, params string[] repositories)
    {
        lock (_alerts)
        {
            var list = _pats.TryGetValue(org, out var l) ? l : _pats[org] = [];
            list.RemoveAll(p => (long)p["token_id"]! == (long)pat["token_id"]!);
            list.Add(pat);
            _repositories[(long)pat["id"]!] = repositories;
        }
    }

    /// <summary>The repositories of <paramref name="org"/> (<c>GET /orgs/{org}/repos</c>: what a token over "all" reaches).</summary>
    public void PutOrgRepositories(string org, params string[] repositories)
    {
        lock (_alerts) _orgRepositories[org] = repositories;
    }

    /// <summary>A repository's stars and forks wherever it is listed (0 and 0 otherwise).</summary>
    public void PutRepositoryFigures(string fullName, long stars, long forks)
    {
        lock (_alerts) _repositoryFigures[fullName] = (stars, forks);
    }

    private JsonObject Repository(string fullName)
    {
        var (stars, forks) = _repositoryFigures.GetValueOrDefault(fullName);
        return new JsonObject { ["full_name"] = fullName, ["name"] = fullName.Split('/')[1], ["stargazers_count"] = stars, ["forks_count"] = forks };
    }

    public void RemovePat(string org, long tokenId)
    {
        lock (_alerts) _pats[org].RemoveAll(p => (long)p["token_id"]! == tokenId);
    }

    public void PutPatRequest(string org, JsonObject request)
    {
        lock (_alerts) (_patRequests.TryGetValue(org, out var l) ? l : _patRequests[org] = []).Add(request);
    }

    /// <summary>Makes <paramref name="org"/> a SAML SSO organisation with this credential authorisation (others answer 404).</summary>
    public void PutCredentialAuthorization(string org, JsonObject authorization)
    {
        lock (_alerts) (_credentialAuthorizations.TryGetValue(org, out var l) ? l : _credentialAuthorizations[org] = []).Add(authorization);
    }

    public void ClearCredentialAuthorizations(string org)
    {
        lock (_alerts) _credentialAuthorizations[org] = [];
    }

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static JsonObject Permissions(string repository, string? organization) => new()
    {
        ["repository"] = JsonNode.Parse(repository),
        ["organization"] = organization is null ? new JsonObject() : JsonNode.Parse(organization),
        ["other"] = new JsonObject(),
    };

    /// <summary>A fine-grained PAT grant as GitHub lists it; <paramref name="repository"/> and <paramref name="organization"/> are the
    /// permission objects' JSON (name → level).</summary>
    public static JsonObject Pat(long patId, long tokenId, string login, string name, string repository, string? organization = null, string selection = "all",
        DateTimeOffset? grantedAt = null, DateTimeOffset? expiresAt = null, DateTimeOffset? lastUsedAt = null) => new()
    {
        ["id"] = patId,
        ["owner"] = new JsonObject { ["login"] = login, ["id"] = tokenId + 1_000_000, ["type"] = "User" },
        ["repository_selection"] = selection,
        ["repositories_url"] = $"https://api.github.com/organizations/1/personal-access-tokens/{patId}/repositories",
        ["permissions"] = Permissions(repository, organization),
        ["access_granted_at"] = grantedAt is { } g ? Iso(g) : null,
        ["token_id"] = tokenId,
        ["token_name"] = name,
        ["token_expired"] = false,
        ["token_expires_at"] = expiresAt is { } e ? Iso(e) : null,
        ["token_last_used_at"] = lastUsedAt is { } u ? Iso(u) : null,
    };

    /// <summary>A pending fine-grained PAT request as GitHub lists it.</summary>
    public static JsonObject PatRequest(long id, long tokenId, string login, string name, string repository, string? reason, DateTimeOffset createdAt) => new()
    {
        ["id"] = id,
        ["reason"] = reason,
        ["owner"] = new JsonObject { ["login"] = login, ["id"] = tokenId + 1_000_000, ["type"] = "User" },
        ["repository_selection"] = "all",
        ["repositories_url"] = $"https://api.github.com/organizations/1/personal-access-token-requests/{id}/repositories",
        ["permissions"] = Permissions(repository, null),
        ["created_at"] = Iso(createdAt),
        ["token_id"] = tokenId,
        ["token_name"] = name,
        ["token_expired"] = false,
        ["token_expires_at"] = Iso(createdAt.AddDays(90)),
        ["token_last_used_at"] = null,
    };

    /// <summary>A SAML SSO credential authorisation of a personal access token.</summary>
    public static JsonObject CredentialAuthorization(long credentialId, string login, string lastEight, string[] scopes, DateTimeOffset authorizedAt) => new()
    {
        ["login"] = login,
        ["credential_id"] = credentialId,
        ["credential_type"] = "personal access token",
        ["token_last_eight"] = lastEight,
        ["credential_authorized_at"] = Iso(authorizedAt),
        ["credential_accessed_at"] = Iso(authorizedAt.AddHours(1)),
        ["scopes"] = new JsonArray([.. scopes.Select(x => (JsonNode)x)]),
        ["fingerprint"] = null,
    };

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
        if (OrgSync(http, request, segments) is { } orgAnswer) return orgAnswer;
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

    private StubAnswer? OrgSync(HttpContext http, StubRequest request, string[] segments)
    {
        lock (_alerts)
        {
            switch (request.Method, segments)
            {
                case ("GET", ["orgs", var org, "personal-access-tokens"]):
                    return ListPage(http, _pats.GetValueOrDefault(org) ?? []);
                case ("GET", ["orgs", _, "personal-access-tokens", var pat, "repositories"]):
                    var repos = _repositories.GetValueOrDefault(long.Parse(pat, CultureInfo.InvariantCulture)) ?? [];
                    return ListPage(http, [.. repos.Select(Repository)]);
                case ("GET", ["orgs", var org, "repos"]):
                    return ListPage(http, [.. (_orgRepositories.GetValueOrDefault(org) ?? []).Select(Repository)]);
                case ("POST", ["orgs", var org, "personal-access-tokens", var pat]):
                    var grant = (_pats.GetValueOrDefault(org) ?? []).FirstOrDefault(p => p["id"]!.ToString() == pat);
                    if (grant is null) return Error(404, "Not Found");
                    if (JsonNode.Parse(request.Body)?["action"]?.GetValue<string>() != "revoke") return Error(422, "action must be revoke");
                    _pats[org].Remove(grant);
                    _revocations.Enqueue((org, (long)grant["id"]!));
                    return new StubAnswer(204);
                case ("GET", ["orgs", var org, "personal-access-token-requests"]):
                    return ListPage(http, _patRequests.GetValueOrDefault(org) ?? []);
                case ("POST", ["orgs", var org, "personal-access-token-requests", var id]):
                    var pending = (_patRequests.GetValueOrDefault(org) ?? []).FirstOrDefault(p => p["id"]!.ToString() == id);
                    if (pending is null) return Error(422, "The request is not pending.");
                    var body = JsonNode.Parse(request.Body)!;
                    var action = body["action"]?.GetValue<string>();
                    if (action is not ("approve" or "deny")) return Error(422, "action must be approve or deny");
                    _patRequests[org].Remove(pending);
                    _decisions.Enqueue(new StubDecision(org, (long)pending["id"]!, action, body["reason"]?.GetValue<string>()));
                    return new StubAnswer(204);
                case ("GET", ["orgs", var org, "credential-authorizations"]):
                    return _credentialAuthorizations.TryGetValue(org, out var authorizations) ? ListPage(http, authorizations) : Error(404, "Not Found");
                default:
                    return null;
            }
        }
    }

    /// <summary>A list paged by <c>per_page</c>/<c>page</c> (GitHub's default 30), with a Link header to the next page.</summary>
    private StubAnswer ListPage(HttpContext http, List<JsonObject> all)
    {
        var query = http.Request.Query;
        var perPage = int.TryParse(query["per_page"], out var p) ? p : 30;
        var page = int.TryParse(query["page"], out var n) ? n : 1;
        var items = all.Skip((page - 1) * perPage).Take(perPage).Select(a => a.DeepClone()).ToArray();
        var headers = new Dictionary<string, string>();
        if (page * perPage < all.Count)
            headers["Link"] = $"<{BaseUrl}{http.Request.Path}?per_page={perPage}&page={page + 1}>; rel=\"next\", <{BaseUrl}{http.Request.Path}?per_page={perPage}&page=1>; rel=\"first\"";
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

/// <summary>A decision the GitHub stub took on a PAT request.</summary>
public sealed record StubDecision(string Org, long RequestId, string Action, string? Reason);
