using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GovernanceDashboard.Tests.Infrastructure;

/// <summary>The smallest honest OpenID Connect provider shaped like Entra ID's v2.0 endpoints, on 127.0.0.1: discovery,
/// JWKS, authorize (answers at once for the person the test names: no login form) and token (authorisation code, checks
/// client secret, redirect URI and PKCE), id tokens signed RS256 with a key made for the test.</summary>
public sealed class StubOpenIdProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "stub-key-1" };
    private readonly ConcurrentDictionary<string, Grant> _codes = new();

    /// <summary>Who the provider signs in next: e-mail, display name and app roles.</summary>
    public sealed record User(string Email, string Name, params string[] Roles);

    private sealed record Grant(User User, string ClientId, string RedirectUri, string? Nonce, string? CodeChallenge);

    public required string TenantId { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public string BaseUrl { get; private set; } = "";
    public string Issuer => $"{BaseUrl}/{TenantId}/v2.0";
    public User? NextUser { get; set; }

    private int _codesRedeemed;

    /// <summary>Token requests that presented the client secret and a correct PKCE verifier.</summary>
    public int CodesRedeemed => Volatile.Read(ref _codesRedeemed);

    private StubOpenIdProvider(WebApplication app) => _app = app;

    public static async Task<StubOpenIdProvider> StartAsync(string tenantId, string clientId, string clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new StubOpenIdProvider(app) { TenantId = tenantId, ClientId = clientId, ClientSecret = clientSecret };
        idp.Map();
        await app.StartAsync();
        idp.BaseUrl = app.Urls.First().TrimEnd('/');
        return idp;
    }

    private void Map()
    {
        var tenant = "/{tenant}";
        _app.MapGet(tenant + "/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{BaseUrl}/{TenantId}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{BaseUrl}/{TenantId}/oauth2/v2.0/token",
            ["end_session_endpoint"] = $"{BaseUrl}/{TenantId}/oauth2/v2.0/logout",
            ["jwks_uri"] = $"{BaseUrl}/{TenantId}/discovery/v2.0/keys",
            ["response_types_supported"] = new List<string> { "code", "id_token", "code id_token" },
            ["response_modes_supported"] = new List<string> { "query", "fragment", "form_post" },
            ["subject_types_supported"] = new List<string> { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new List<string> { "RS256" },
            ["scopes_supported"] = new List<string> { "openid", "profile", "email", "offline_access" },
            ["token_endpoint_auth_methods_supported"] = new List<string> { "client_secret_post", "client_secret_basic" },
        }));

        _app.MapGet(tenant + "/discovery/v2.0/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });

        _app.MapGet(tenant + "/oauth2/v2.0/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (q["client_id"] != ClientId) return Results.BadRequest("unknown client_id");
            if (NextUser is not { } user) return Results.BadRequest("no user to sign in");
            var redirect = q["redirect_uri"].ToString();
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = new Grant(user, ClientId, redirect, q["nonce"], q["code_challenge"]);
            var fields = new Dictionary<string, string> { ["code"] = code, ["state"] = q["state"].ToString() };
            if (q["response_type"].ToString().Contains("id_token", StringComparison.Ordinal)) fields["id_token"] = IdToken(user, q["nonce"], code);
            if (q["response_mode"] == "form_post")
            {
                // What Entra answers: a page that posts the response to the app (a browser runs its script; a test posts the form).
                var inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{f.Key}\" value=\"{WebUtility.HtmlEncode(f.Value)}\" />"));
                return Results.Content($"<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{WebUtility.HtmlEncode(redirect)}\">{inputs}</form></body></html>", "text/html");
            }
            return Results.Redirect(redirect + "?" + string.Join("&", fields.Select(f => f.Key + "=" + Uri.EscapeDataString(f.Value))));
        });

        _app.MapPost(tenant + "/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var (clientId, secret) = ClientCredentials(request, form);
            if (clientId != ClientId || secret != ClientSecret) return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant))
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            if (grant.RedirectUri != form["redirect_uri"]) return Results.Json(new { error = "invalid_grant", error_description = "redirect_uri" }, statusCode: 400);
            if (grant.CodeChallenge is { Length: > 0 } challenge
                && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != challenge)
                return Results.Json(new { error = "invalid_grant", error_description = "PKCE" }, statusCode: 400);
            Interlocked.Increment(ref _codesRedeemed);
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer", ["expires_in"] = 3600, ["scope"] = "openid profile email",
                ["id_token"] = IdToken(grant.User, grant.Nonce), ["access_token"] = IdToken(grant.User, null),
            });
        });
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        return (form["client_id"], form["client_secret"]);
    }

    /// <param name="code">for an id token sent beside a code (hybrid flow): its hash goes in c_hash, binding the two</param>
    private string IdToken(User user, string? nonce, string? code = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "sub-" + user.Email, ["oid"] = Guid.NewGuid().ToString(), ["tid"] = TenantId, ["ver"] = "2.0",
            ["name"] = user.Name, ["preferred_username"] = user.Email, ["email"] = user.Email, ["roles"] = user.Roles,
        };
        if (nonce is not null) claims["nonce"] = nonce;
        if (code is not null) claims["c_hash"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(code))[..16]);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer, Audience = ClientId, Claims = claims, IssuedAt = now, NotBefore = now.AddMinutes(-1), Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
    }
}
