using GovernanceDashboard.Domain;
using GovernanceDashboard.Platforms;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The real HttpClient code (factory, resilience handler) against a stub on 127.0.0.1: exact requests, and every answer.</summary>
public class PlatformClientTests : IAsyncLifetime
{
    private RemediationHarness _h = default!;

    public async Task InitializeAsync() => _h = await RemediationHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Hugging_Face_revocation_posts_the_credentials_as_json_without_authorization()
    {
        var secrets = new[] { RemediationHarness.HfSecret(1), RemediationHarness.HfSecret(2) };
        var answer = await _h.HuggingFace.RevokeAsync(secrets);

        Assert.True(answer.Accepted);
        var request = Assert.Single(_h.Stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/credentials/revoke", request.Path);
        Assert.Null(request.Authorization);
        Assert.Equal(secrets, request.Credentials());
        Assert.Equal($$"""{"credentials":["{{secrets[0]}}","{{secrets[1]}}"]}""", request.Body);
    }

    [Theory]
    [InlineData(202, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(422, false)]
    [InlineData(500, false)]
    public async Task GitHub_revocation_posts_without_authorization_and_reads_each_answer(int status, bool accepted)
    {
        _h.Stub.Answer = _ => new StubAnswer(status, status >= 400 ? """{"message":"Validation Failed"}""" : null);
        var secret = RemediationHarness.GhSecret(1);

        var answer = await _h.GitHub.RevokeAsync([secret]);

        Assert.Equal(accepted, answer.Accepted);
        var request = Assert.Single(_h.Stub.Requests);
        Assert.Equal(("POST", "/credentials/revoke"), (request.Method, request.Path));
        Assert.Null(request.Authorization);
        Assert.Equal([secret], request.Credentials());
        if (!accepted)
        {
            Assert.Equal(status, answer.Status);
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, answer.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(200, "<html>maintenance</html>")]
    [InlineData(401, "")]
    [InlineData(500, "")]
    public async Task Anything_but_202_from_Hugging_Face_is_a_failed_revocation(int status, string body)
    {
        _h.Stub.Answer = _ => new StubAnswer(status, body);
        var answer = await _h.HuggingFace.RevokeAsync([RemediationHarness.HfSecret(1)]);
        Assert.False(answer.Accepted);
        Assert.Equal(status, answer.Status);
    }

    [Fact]
    public async Task A_platform_that_does_not_answer_in_time_is_a_failure_not_an_exception()
    {
        _h.Stub.Answer = _ => new StubAnswer(202, Delay: TimeSpan.FromSeconds(20));

        var hf = await _h.HuggingFace.RevokeAsync([RemediationHarness.HfSecret(1)]);
        var gh = await _h.GitHub.RevokeAsync([RemediationHarness.GhSecret(1)]);

        Assert.False(hf.Accepted);
        Assert.False(gh.Accepted);
        Assert.Equal("the platform did not answer in time", hf.Error);
        Assert.Equal("the platform did not answer in time", gh.Error);
    }

    [Fact]
    public async Task A_closed_port_is_a_connection_failure()
    {
        await using var dead = await RemediationHarness.StartAsync(new() { ["HuggingFace:BaseUrl"] = "http://127.0.0.1:1" });
        var answer = await dead.HuggingFace.RevokeAsync([RemediationHarness.HfSecret(1)]);
        Assert.False(answer.Accepted);
        Assert.StartsWith("connection failed", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHub_takes_at_most_a_thousand_credentials_a_request()
    {
        var tooMany = Enumerable.Range(0, 1001).Select(RemediationHarness.GhSecret).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => _h.GitHub.RevokeAsync(tooMany));
        Assert.Empty(_h.Stub.Requests);
    }

    [Fact]
    public async Task Whoami_sends_the_token_as_bearer_and_reads_a_fine_grained_token_with_write_permissions()
    {
        _h.Stub.Answer = _ => new StubAnswer(200, """
            {"type":"user","name":"jdoe","orgs":[{"name":"acme-ai","roleInOrg":"admin"},{"name":"acme-research","roleInOrg":"read"}],
             "auth":{"type":"access_token","accessToken":{"displayName":"ci-deploy","role":"fineGrained",
               "fineGrained":{"scoped":[{"entity":{"type":"org","name":"acme-ai"},"permissions":["repo.content.read","repo.write"]}],"global":["discussion.write"]}}}}
            """);
        var secret = RemediationHarness.HfSecret(7);

        var answer = await _h.HuggingFace.WhoAmIAsync(secret);

        var request = Assert.Single(_h.Stub.Requests);
        Assert.Equal(("GET", "/api/whoami-v2", $"Bearer {secret}"), (request.Method, request.Path, request.Authorization));
        Assert.True(answer.Valid);
        Assert.Equal("jdoe", answer.Account);
        Assert.Equal(["acme-ai:admin", "acme-research:read"], answer.Organizations);
        Assert.Equal("ci-deploy", answer.TokenName);
        Assert.Equal("fineGrained", answer.Role);
        Assert.Equal(WriteCapability.Write, answer.WriteCapability);
        Assert.Contains("repo.write", answer.Scopes!);
    }

    [Fact]
    public async Task Whoami_reads_a_read_role_and_a_401_as_invalid()
    {
        _h.Stub.Answer = _ => new StubAnswer(200, """{"name":"jdoe","orgs":[],"auth":{"accessToken":{"displayName":"laptop","role":"read"}}}""");
        var read = await _h.HuggingFace.WhoAmIAsync(RemediationHarness.HfSecret(1));
        Assert.Equal((true, WriteCapability.Read), (read.Valid, read.WriteCapability));

        _h.Stub.Answer = _ => new StubAnswer(401, """{"error":"Invalid credentials in Authorization header"}""");
        var invalid = await _h.HuggingFace.WhoAmIAsync(RemediationHarness.HfSecret(1));
        Assert.Equal((false, 401), (invalid.Valid, invalid.Status));
    }

    [Theory]
    [InlineData(200, "<html>not json</html>")]
    [InlineData(200, """{"unexpected":true}""")]
    [InlineData(403, "")]
    [InlineData(500, "")]
    public async Task A_garbage_or_error_answer_to_a_check_proves_nothing(int status, string body)
    {
        _h.Stub.Answer = _ => new StubAnswer(status, body);
        var hf = await _h.HuggingFace.WhoAmIAsync(RemediationHarness.HfSecret(1));
        var gh = await _h.GitHub.GetUserAsync(RemediationHarness.GhSecret(1), TokenKind.GitHubClassicPat);
        Assert.Null(hf.Valid);
        Assert.Null(gh.Valid);
        Assert.NotNull(hf.Error);
        Assert.NotNull(gh.Error);
    }

    [Fact]
    public async Task GitHub_user_sends_the_token_as_bearer_and_reads_login_scopes_and_expiry()
    {
        _h.Stub.Answer = _ => new StubAnswer(200, """{"login":"octocat","id":1}""", new Dictionary<string, string>
        {
            ["X-OAuth-Scopes"] = "read:org, repo", ["github-authentication-token-expiration"] = "2027-01-31 12:00:00 UTC",
        });
        var secret = RemediationHarness.GhSecret(3);

        var answer = await _h.GitHub.GetUserAsync(secret, TokenKind.GitHubClassicPat);

        var request = Assert.Single(_h.Stub.Requests);
        Assert.Equal(("GET", "/user", $"Bearer {secret}"), (request.Method, request.Path, request.Authorization));
        Assert.True(answer.Valid);
        Assert.Equal("octocat", answer.Account);
        Assert.Equal(["read:org", "repo"], answer.Scopes);
        Assert.Equal(WriteCapability.Write, answer.WriteCapability);
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero), answer.ExpiresAt);

        _h.Stub.Answer = _ => new StubAnswer(401, """{"message":"Bad credentials"}""");
        Assert.False((await _h.GitHub.GetUserAsync(secret, TokenKind.GitHubClassicPat)).Valid);
    }
}
