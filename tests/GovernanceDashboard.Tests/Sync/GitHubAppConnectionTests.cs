using System.Net;
using GovernanceDashboard.Platforms.GitHubApp;
using GovernanceDashboard.Secrets;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Sync;

/// <summary>The GitHub App connection against the stub: the app's JWT is verified there with the public key, the installation token is
/// reused until five minutes before it expires, and GitHub's refusals and rate limits come back as what they mean.</summary>
public class GitHubAppConnectionTests
{
    private sealed class Connection : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        public GitHubAppStub Stub { get; }
        public TestStore Store { get; } = new();
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
        public GitHubAppConnection GitHub { get; }

        public Connection(GitHubAppStub stub, string? keyPem = null, long installation = GitHubAppStub.InstallationId)
        {
            Stub = stub;
            var keyPath = Path.Combine(Store.KeyDirectory, "github-app.pem");
            var settings = stub.Settings(keyPath);
            if (keyPem is not null) File.WriteAllText(keyPath, keyPem);
            settings["Secrets:KeyDirectory"] = Store.KeyDirectory;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            _services = new ServiceCollection().AddHttpClient(GitHubAppConnection.HttpClientName, c => c.BaseAddress = new Uri(stub.BaseUrl + "/")).Services.BuildServiceProvider();
            var keys = new KeyStore(configuration, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Store.Directory });
            // A relative key path is taken from the key folder: the operator's file beside the other keys.
            var options = Options.Create(new GitHubAppOptions { Id = GitHubAppStub.AppId, InstallationId = installation, PrivateKeyPath = "github-app.pem" });
            GitHub = new GitHubAppConnection(_services.GetRequiredService<IHttpClientFactory>(), options, keys, Clock, NullLogger<GitHubAppConnection>.Instance);
        }

        public async ValueTask DisposeAsync()
        {
            GitHub.Dispose();
            await _services.DisposeAsync();
            await Store.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_stub_verifies_the_apps_JWT_with_its_public_key_and_the_installation_token_is_reused_until_shortly_before_it_expires()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        await using var c = new Connection(stub);

        var first = await c.GitHub.InstallationTokenAsync();
        Assert.Equal((1, 0), (stub.JwtsVerified, stub.JwtsRefused));
        Assert.StartsWith("ghs_stubInstallation", first, StringComparison.Ordinal);

        c.Clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(first, await c.GitHub.InstallationTokenAsync());
        using (var response = await c.GitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "orgs/acme/secret-scanning/alerts")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, stub.Requests.Count(r => r.Path.EndsWith("/access_tokens", StringComparison.Ordinal)));

        // Less than five minutes left: renewed with a new JWT.
        c.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = await c.GitHub.InstallationTokenAsync();
        Assert.NotEqual(first, second);
        Assert.Equal(2, stub.JwtsVerified);
        Assert.All(stub.Requests.Where(r => r.Path.StartsWith("/orgs/", StringComparison.Ordinal)), r => Assert.Equal("Bearer " + first, r.Authorization));
    }

    [Fact]
    public async Task A_JWT_signed_with_another_key_is_refused_by_the_stub_and_the_refusal_carries_GitHubs_reason()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        using var other = System.Security.Cryptography.RSA.Create(2048);
        await using var c = new Connection(stub, other.ExportRSAPrivateKeyPem());

        var refused = await Assert.ThrowsAsync<GitHubConfigurationException>(() => c.GitHub.InstallationTokenAsync());
        Assert.Equal(401, refused.Status);
        Assert.Contains("A JSON web token could not be decoded", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", refused.Message, StringComparison.Ordinal);
        Assert.Equal((0, 1), (stub.JwtsVerified, stub.JwtsRefused));
    }

    [Fact]
    public async Task An_unknown_installation_or_a_missing_key_file_is_a_configuration_error()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        await using var unknown = new Connection(stub, installation: 999);
        Assert.Contains("Not Found", (await Assert.ThrowsAsync<GitHubConfigurationException>(() => unknown.GitHub.InstallationTokenAsync())).Message, StringComparison.Ordinal);

        await using var missing = new Connection(stub);
        File.Delete(missing.GitHub.PrivateKeyPath);
        var error = await Assert.ThrowsAsync<GitHubConfigurationException>(() => missing.GitHub.InstallationTokenAsync());
        Assert.Contains("GitHub:App:PrivateKeyPath", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(403, "x-ratelimit-remaining", "0", 120)]
    [InlineData(429, "retry-after", "30", 30)]
    [InlineData(403, "retry-after", "45", 45)]
    public async Task A_rate_limited_answer_says_when_to_try_again(int status, string header, string value, int seconds)
    {
        await using var stub = await GitHubAppStub.StartAsync();
        await using var c = new Connection(stub);
        var reset = c.Clock.GetUtcNow().AddSeconds(seconds);
        stub.Override = r => r.Path.StartsWith("/orgs/", StringComparison.Ordinal)
            ? new StubAnswer(status, "{\"message\":\"API rate limit exceeded\"}", new Dictionary<string, string>
            {
                [header] = value,
                ["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            : null;

        var limited = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => c.GitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "orgs/acme/secret-scanning/alerts")));
        Assert.InRange(limited.RetryAt, reset.AddSeconds(-1), reset.AddSeconds(1));
    }

    [Fact]
    public async Task The_installation_token_goes_to_the_configured_API_host_only()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        await using var c = new Connection(stub);
        await Assert.ThrowsAsync<InvalidOperationException>(() => c.GitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.2:9/orgs/acme")));
        // Refused before anything is sent: not even an installation token was asked for.
        Assert.Empty(stub.Requests);
    }
}
