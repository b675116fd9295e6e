using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace GovernanceDashboard.Platforms;

/// <summary>Hugging Face's token endpoints: credential revocation (unauthenticated, always 202) and whoami-v2 (the token as Bearer).</summary>
public sealed class HuggingFaceClient(HttpClient http)
{
    /// <summary>POST /api/credentials/revoke {"credentials": [...]} without Authorization. Hugging Face answers 202 to anything and is
    /// idempotent: acceptance proves the request was made, not that the token was valid or is now dead.</summary>
    public async Task<RevokeAnswer> RevokeAsync(IReadOnlyList<string> credentials, CancellationToken ct = default)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("api/credentials/revoke", new { credentials }, ct);
            return response.StatusCode == HttpStatusCode.Accepted
                ? new RevokeAnswer(true, 202, null)
                : RevokeAnswer.Failed((int)response.StatusCode, PlatformFaults.StatusText(response.StatusCode));
        }
        catch (Exception ex) when (PlatformFaults.IsFault(ex) && !ct.IsCancellationRequested)
        {
            return RevokeAnswer.Failed(null, PlatformFaults.Describe(ex));
        }
    }

    /// <summary>GET /api/whoami-v2 with the token as Bearer: 401 is "invalid"; 200 gives the account, organisations with their
    /// roles, the token's name and role, and for a fine-grained token its permissions (→ write capability by <see cref="WriteScopes"/>).</summary>
    public async Task<TokenCheckAnswer> WhoAmIAsync(string token, CancellationToken ct = default)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/whoami-v2");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized) return TokenCheckAnswer.Invalid(401);
            if (response.StatusCode != HttpStatusCode.OK) return TokenCheckAnswer.Failed((int)response.StatusCode, PlatformFaults.StatusText(response.StatusCode));
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            return Read(json.RootElement);
        }
        catch (Exception ex) when ((PlatformFaults.IsFault(ex) || ex is InvalidOperationException or KeyNotFoundException) && !ct.IsCancellationRequested)
        {
            return TokenCheckAnswer.Failed(null, PlatformFaults.Describe(ex));
        }
    }

    private static TokenCheckAnswer Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            return TokenCheckAnswer.Failed(200, "the platform's answer was not the expected JSON");
        var orgs = new List<string>();
        if (root.TryGetProperty("orgs", out var orgArray) && orgArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var org in orgArray.EnumerateArray())
            {
                if (Text(org, "name") is not { } orgName) continue;
                orgs.Add(Text(org, "roleInOrg") is { } role ? $"{orgName}:{role}" : orgName);
            }
        }
        string? tokenName = null, tokenRole = null;
        List<string>? permissions = null;
        if (root.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object
            && auth.TryGetProperty("accessToken", out var accessToken) && accessToken.ValueKind == JsonValueKind.Object)
        {
            tokenName = Text(accessToken, "displayName");
            tokenRole = Text(accessToken, "role");
            if (accessToken.TryGetProperty("fineGrained", out var fine) && fine.ValueKind == JsonValueKind.Object)
            {
                permissions = [];
                if (fine.TryGetProperty("scoped", out var scoped) && scoped.ValueKind == JsonValueKind.Array)
                    foreach (var entry in scoped.EnumerateArray())
                        permissions.AddRange(Strings(entry, "permissions"));
                permissions.AddRange(Strings(fine, "global"));
            }
        }
        return new TokenCheckAnswer
        {
            Valid = true, Status = 200, Account = name.GetString(), Organizations = orgs, TokenName = tokenName, Role = tokenRole,
            Scopes = permissions?.Distinct(StringComparer.Ordinal).ToList(),
            WriteCapability = WriteScopes.ForHuggingFace(tokenRole, permissions),
        };
    }

    private static string? Text(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
            : [];
}
