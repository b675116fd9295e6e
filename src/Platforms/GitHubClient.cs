using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace GovernanceDashboard.Platforms;

/// <summary>GitHub's token endpoints: credential revocation (unauthenticated, ≤ 1,000 credentials a call, 60 calls an hour) and GET /user.</summary>
public sealed class GitHubClient(HttpClient http)
{
    /// <summary>GitHub's limits on POST /credentials/revoke.</summary>
    public const int MaxCredentialsPerRequest = 1000;
    public const int MaxRequestsPerHour = 60;

    /// <summary>POST /credentials/revoke {"credentials": [...]} without Authorization (an authenticated call is refused with 403):
    /// 202 accepted, 422 validation failed or throttled, 500 error.</summary>
    public async Task<RevokeAnswer> RevokeAsync(IReadOnlyList<string> credentials, CancellationToken ct = default)
    {
        if (credentials.Count > MaxCredentialsPerRequest)
            throw new ArgumentException($"GitHub takes at most {MaxCredentialsPerRequest} credentials a request.", nameof(credentials));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "credentials/revoke") { Content = JsonContent.Create(new { credentials }) };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
            using var response = await http.SendAsync(request, ct);
            return response.StatusCode switch
            {
                HttpStatusCode.Accepted => new RevokeAnswer(true, 202, null),
                HttpStatusCode.UnprocessableEntity => RevokeAnswer.Failed(422, "HTTP 422: GitHub refused the request (validation failed or throttled)"),
                _ => RevokeAnswer.Failed((int)response.StatusCode, PlatformFaults.StatusText(response.StatusCode)),
            };
        }
        catch (Exception ex) when (PlatformFaults.IsFault(ex) && !ct.IsCancellationRequested)
        {
            return RevokeAnswer.Failed(null, PlatformFaults.Describe(ex));
        }
    }

    /// <summary>GET /user with the token as Bearer: 401 is "invalid"; 200 gives the login, the classic scopes (X-OAuth-Scopes) and
    /// the expiry (github-authentication-token-expiration).</summary>
    public async Task<TokenCheckAnswer> GetUserAsync(string token, TokenKind kind, CancellationToken ct = default)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "user");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized) return TokenCheckAnswer.Invalid(401);
            if (response.StatusCode != HttpStatusCode.OK) return TokenCheckAnswer.Failed((int)response.StatusCode, PlatformFaults.StatusText(response.StatusCode));
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("login", out var login) || login.ValueKind != JsonValueKind.String)
                return TokenCheckAnswer.Failed(200, "the platform's answer was not the expected JSON");

            // Fine-grained tokens carry no X-OAuth-Scopes; their permissions are not reported here.
            List<string>? scopes = response.Headers.TryGetValues("X-OAuth-Scopes", out var values)
                ? [.. string.Join(',', values).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : null;
            var write = kind == TokenKind.GitHubFineGrainedPat ? WriteCapability.Unknown : WriteScopes.ForGitHubClassic(scopes, verified: true);
            return new TokenCheckAnswer
            {
                Valid = true, Status = 200, Account = login.GetString(), Scopes = scopes, WriteCapability = write,
                ExpiresAt = response.Headers.TryGetValues("github-authentication-token-expiration", out var expiry) ? ParseExpiry(expiry.FirstOrDefault()) : null,
            };
        }
        catch (Exception ex) when (PlatformFaults.IsFault(ex) && !ct.IsCancellationRequested)
        {
            return TokenCheckAnswer.Failed(null, PlatformFaults.Describe(ex));
        }
    }

    /// <summary>GitHub writes the expiry as "2026-12-31 23:59:59 UTC" (or with a numeric offset).</summary>
    public static DateTimeOffset? ParseExpiry(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.EndsWith(" UTC", StringComparison.Ordinal)) t = t[..^4] + " +00:00";
        string[] formats = ["yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss K"];
        if (DateTimeOffset.TryParseExact(t, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.ToUniversalTime();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at) ? at.ToUniversalTime() : null;
    }
}
