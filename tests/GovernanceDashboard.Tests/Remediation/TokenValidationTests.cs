using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>Validation is off by default, rate limited per platform, and reads GitHub's scopes and expiry into the token.</summary>
public class TokenValidationTests
{
    [Fact]
    public async Task Validation_is_off_unless_enabled_and_then_calls_nothing()
    {
        await using var h = await RemediationHarness.StartAsync();
        var exposure = (await h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(1)]))[0];
        var result = await h.Validation.CheckNowAsync(RemediationHarness.Analyst, exposure.TokenId);
        Assert.Equal(CheckOutcome.Disabled, result.Outcome);
        Assert.Empty(h.Stub.Requests);
    }

    [Fact]
    public async Task Checks_are_rate_limited_per_platform()
    {
        await using var h = await RemediationHarness.StartAsync(new() { ["Remediation:Validation:Enabled"] = "true", ["Remediation:Validation:PerMinute"] = "1" });
        h.Stub.Answer = _ => new StubAnswer(200, """{"login":"octocat"}""");
        var gh = await h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [RemediationHarness.GhSecret(1), RemediationHarness.GhSecret(2)]);
        h.Stub.Answer = r => r.Path == "/user" ? new StubAnswer(200, """{"login":"octocat"}""") : new StubAnswer(200, """{"name":"jdoe"}""");
        var hf = await h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(1)]);

        Assert.Equal(CheckOutcome.Checked, (await h.Validation.CheckNowAsync(RemediationHarness.Analyst, gh[0].TokenId)).Outcome);
        Assert.Equal(CheckOutcome.RateLimited, (await h.Validation.CheckNowAsync(RemediationHarness.Analyst, gh[1].TokenId)).Outcome);
        // Another platform has its own budget.
        Assert.Equal(CheckOutcome.Checked, (await h.Validation.CheckNowAsync(RemediationHarness.Analyst, hf[0].TokenId)).Outcome);
        Assert.Equal(2, h.Stub.Requests.Count);
    }

    [Fact]
    public async Task A_github_check_records_login_scopes_expiry_and_write_and_a_failure_changes_nothing()
    {
        await using var h = await RemediationHarness.StartAsync(new() { ["Remediation:Validation:Enabled"] = "true" });
        var exposure = (await h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [RemediationHarness.GhSecret(5)]))[0];
        h.Stub.Answer = _ => new StubAnswer(500);
        var failed = await h.Validation.CheckNowAsync(RemediationHarness.Analyst, exposure.TokenId);
        Assert.Equal(CheckOutcome.PlatformFailed, failed.Outcome);
        await using (var db = h.Db())
        {
            var token = await db.Tokens.SingleAsync();
            Assert.Equal(((string?)null, TokenStatus.Exposed), (token.Account, token.Status));
            Assert.Equal(ExposureState.Open, (await db.Exposures.SingleAsync()).State);
        }

        h.Stub.Answer = _ => new StubAnswer(200, """{"login":"octocat"}""", new Dictionary<string, string>
        {
            ["X-OAuth-Scopes"] = "repo, workflow", ["github-authentication-token-expiration"] = "2027-03-01 00:00:00 UTC",
        });
        var valid = await h.Validation.CheckNowAsync(RemediationHarness.Analyst, exposure.TokenId);
        Assert.Equal((CheckOutcome.Checked, true), (valid.Outcome, valid.Valid));
        await using var check = h.Db();
        var checkedToken = await check.Tokens.SingleAsync();
        Assert.Equal(("octocat", "repo, workflow", WriteCapability.Write), (checkedToken.Account, checkedToken.Scopes, checkedToken.WriteCapability));
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), checkedToken.ExpiresAt);
        Assert.Equal(2, await check.AuditEvents.CountAsync(a => a.Kind == "token.validated"));
    }

    [Fact]
    public async Task The_periodic_pass_checks_open_escrowed_exposures_and_remediates_the_dead_ones()
    {
        await using var h = await RemediationHarness.StartAsync(new() { ["Remediation:Validation:Enabled"] = "true" });
        var live = RemediationHarness.HfSecret(31);
        var dead = RemediationHarness.HfSecret(32);
        var exposures = await h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [live, dead, null]);
        h.Stub.Answer = r => r.Authorization == $"Bearer {dead}" ? new StubAnswer(401) : new StubAnswer(200, """{"name":"jdoe"}""");

        Assert.Equal(2, await h.Validation.RunPassAsync());

        Assert.Equal(2, h.Stub.Requests.Count);
        await using var db = h.Db();
        var states = await db.Exposures.OrderBy(e => e.Id).Select(e => new { e.State, e.RemediatedBy }).ToListAsync();
        Assert.Equal(ExposureState.Open, states[0].State);
        Assert.Equal((ExposureState.Remediated, "validation:huggingface"), (states[1].State, states[1].RemediatedBy));
        Assert.Equal(ExposureState.Open, states[2].State);
        Assert.All(await db.AuditEvents.Where(a => a.Kind == "token.validated").Select(a => a.Actor).ToListAsync(), a => Assert.Equal("validation:periodic", a));
        Assert.Equal(exposures[0].TokenId, (await db.Tokens.SingleAsync(t => t.Account == "jdoe")).Id);
    }
}
