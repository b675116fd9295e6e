using System.Net;
using System.Net.Http.Headers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GovernanceDashboard.Platforms.GitHubApp;

/// <summary>The dashboard's connection to GitHub as a GitHub App: signs the app's JWT (RS256, Microsoft.IdentityModel), exchanges
/// it for an installation token and keeps that until shortly before it expires. Callers send their requests through
/// <see cref="SendAsync"/>, which authenticates them and turns GitHub's rate limits and refusals into exceptions, so every
/// reader of GitHub (alerts now, platform sync later) shares one token and one set of rules.</summary>
public sealed class GitHubAppConnection(IHttpClientFactory httpFactory, IOptions<GitHubAppOptions> options, KeyStore keys, TimeProvider clock,
    ILogger<GitHubAppConnection> log) : IDisposable
{
    public const string DefaultKeyFile = "github-app.pem";

    /// <summary>The named HttpClient (base address <c>GitHub:ApiBaseUrl</c>); the connection is a singleton, its handlers rotate.</summary>
    public const string HttpClientName = "GitHubApp";

    /// <summary>An installation token is renewed this long before GitHub says it expires (they last an hour).</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private RsaSecurityKey? _key;
    private (string Token, DateTimeOffset ExpiresAt)? _installation;

    public GitHubAppOptions Options => options.Value;

    /// <summary>Where the private key is read from: <c>GitHub:App:PrivateKeyPath</c>, a relative path under the key folder.</summary>
    public string PrivateKeyPath => Path.GetFullPath(string.IsNullOrWhiteSpace(Options.PrivateKeyPath) ? DefaultKeyFile : Options.PrivateKeyPath, keys.Directory);

    /// <summary>The app's JWT: issued a minute in the past (GitHub's advice against clock drift), valid nine minutes (GitHub's limit is ten).</summary>
    public string CreateAppJwt()
    {
        if (Options.Missing() is { } missing) throw new GitHubConfigurationException(missing);
        var now = clock.GetUtcNow().UtcDateTime;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Options.Id.ToString(CultureInfo.InvariantCulture),
            IssuedAt = now.AddSeconds(-60),
            Expires = now.AddMinutes(9),
            // Not the library's process-wide cache of signature providers: it keys them by the key's material, so a second connection
            // with the same key (a restarted host in the same process) would be handed one holding this connection's disposed RSA.
            SigningCredentials = new SigningCredentials(SigningKey(), SecurityAlgorithms.RsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
        });
    }

    /// <summary>The installation token, from the cache while it has more than five minutes left.</summary>
    public async Task<string> InstallationTokenAsync(CancellationToken ct = default)
    {
        if (Current() is { } token) return token;
        await _renewing.WaitAsync(ct);
        try
        {
            if (Current() is { } renewed) return renewed;
            using var request = new HttpRequestMessage(HttpMethod.Post,
                string.Create(CultureInfo.InvariantCulture, $"app/installations/{Options.InstallationId}/access_tokens"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", CreateAppJwt());
            using var response = await SendRawAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.OK)
                throw new GitHubConfigurationException(
                    $"GitHub refused the app's installation token (HTTP {(int)response.StatusCode}): {await ReasonAsync(response, ct)}", (int)response.StatusCode);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("token", out var value) || value.GetString() is not { Length: > 0 } issued)
                throw new JsonException("GitHub's installation token answer has no token.");
            var expires = root.TryGetProperty("expires_at", out var at) && at.TryGetDateTimeOffset(out var e) ? e : clock.GetUtcNow().AddHours(1);
            _installation = (issued, expires);
            log.LogInformation("GitHub App {AppId}: installation token for installation {InstallationId} renewed; it expires at {ExpiresAt:u}.",
                Options.Id, Options.InstallationId, expires);
            return issued;
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>Sends a request made by <paramref name="make"/> with the installation token. A 401 drops the cached token and tries
    /// once more with a new one; a rate limit throws <see cref="GitHubRateLimitedException"/>; 403 and 404 are returned to the caller
    /// (their meaning depends on the call).</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(make);
        for (var attempt = 0; ; attempt++)
        {
            using var request = make();
            if (request.RequestUri is { IsAbsoluteUri: true } uri && !SameOrigin(uri))
                throw new InvalidOperationException("A request of the GitHub App must go to GitHub:ApiBaseUrl: its token is not sent anywhere else.");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await InstallationTokenAsync(ct));
            var response = await SendRawAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                response.Dispose();
                _installation = null;
                continue;
            }
            return response;
        }
    }

    /// <summary>True when <paramref name="uri"/> (a Link header's next page) is on the configured API host, so the token may go there.</summary>
    public bool SameOrigin(Uri uri) => PlatformPaging.SameOrigin(uri, httpFactory.CreateClient(HttpClientName).BaseAddress);

    /// <summary>The Link header's rel="next", only on the configured API host (the installation token goes nowhere else): every paged
    /// list of GitHub (alerts, an organisation's tokens and requests) is followed by this one rule.</summary>
    /// <exception cref="HttpRequestException">the next page points to another host</exception>
    public Uri? NextPage(HttpResponseMessage response)
    {
        if (PlatformPaging.NextLink(response) is not { } uri) return null;
        if (!SameOrigin(uri)) throw new HttpRequestException("GitHub's next page points to another host; the pull stopped.");
        return uri;
    }

    /// <summary>GitHub's reason for an error answer: the "message" of its JSON body (cut short), or the status.</summary>
    public static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text)
                return Logging.LogValue.Clean(text);
        }
        catch (JsonException)
        {
            // Not GitHub's JSON: the status says enough.
        }
        return PlatformFaults.StatusText(response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (RetryAt(response) is { } retryAt)
        {
            var reason = $"GitHub rate limit (HTTP {(int)response.StatusCode}); retrying after {retryAt:u}";
            response.Dispose();
            throw new GitHubRateLimitedException(retryAt, reason);
        }
        return response;
    }

    /// <summary>When a rate-limited answer may be retried (<see cref="PlatformPaging.RetryAt"/>).</summary>
    internal DateTimeOffset? RetryAt(HttpResponseMessage response) => PlatformPaging.RetryAt(response, clock.GetUtcNow());

    private string? Current() =>
        _installation is { } cached && cached.ExpiresAt - RenewBefore > clock.GetUtcNow() ? cached.Token : null;

    private RsaSecurityKey SigningKey()
    {
        if (_key is { } key) return key;
        var path = PrivateKeyPath;
        if (!File.Exists(path))
            throw new GitHubConfigurationException($"The GitHub App's private key was not found at {path} (GitHub:App:PrivateKeyPath).");
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
            // Nothing of the file's content goes into the message.
            throw new GitHubConfigurationException($"The file at {path} (GitHub:App:PrivateKeyPath) is not a PEM RSA private key.");
        }
        _key = new RsaSecurityKey(rsa);
        return _key;
    }

    public void Dispose()
    {
        _renewing.Dispose();
        _key?.Rsa?.Dispose();
    }
}
