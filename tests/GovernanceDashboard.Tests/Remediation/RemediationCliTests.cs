using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>revoke and validate as verbs of the built program (a real child process): exit codes 0, 1, 2.</summary>
public class RemediationCliTests
{
    [Fact]
    public async Task Revoke_sends_at_once_and_answers_0_then_1_when_closed_and_2_when_not_revocable()
    {
        await using var h = await RemediationHarness.StartAsync();
        var secret = RemediationHarness.GhSecret(9);
        var exposure = (await h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [secret]))[0];
        var masked = (await h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [null]))[0];
        var platform = $"--GitHub:ApiBaseUrl={h.Stub.BaseUrl}";

        var sent = await CliRunner.RunAsync(h.Store, "revoke", "--exposure", exposure.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), platform);
        Assert.True(sent.ExitCode == 0, sent.Out + sent.Error);
        Assert.Contains("revocation requested", sent.Out, StringComparison.Ordinal);
        Assert.Equal([secret], Assert.Single(h.Stub.Requests).Credentials());
        await using (var db = h.Db())
            Assert.Equal(ExposureState.Remediated, (await db.Exposures.SingleAsync(e => e.Id == exposure.Id)).State);

        var closed = await CliRunner.RunAsync(h.Store, "revoke", "--exposure", exposure.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), platform);
        Assert.Equal(1, closed.ExitCode);
        Assert.Contains("already closed", closed.Error, StringComparison.Ordinal);

        var manual = await CliRunner.RunAsync(h.Store, "revoke", "--exposure", masked.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), platform);
        Assert.Equal(2, manual.ExitCode);
        Assert.Contains("https://huggingface.co/settings/tokens", manual.Error, StringComparison.Ordinal);

        Assert.Equal(2, (await CliRunner.RunAsync(h.Store, "revoke", "--exposure", "abc")).ExitCode); // a usage error
        Assert.Single(h.Stub.Requests);
        Assert.DoesNotContain(secret, sent.Out + sent.Error + closed.Out + closed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_keeps_the_request_queued_when_the_platform_fails()
    {
        await using var h = await RemediationHarness.StartAsync();
        h.Stub.Answer = _ => new StubAnswer(500);
        var exposure = (await h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(9)]))[0];

        var result = await CliRunner.RunAsync(h.Store, "revoke", "--exposure", exposure.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"--HuggingFace:BaseUrl={h.Stub.BaseUrl}", "--Remediation:Http:Retries=0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("500", result.Out, StringComparison.Ordinal);
        await using var db = h.Db();
        var request = await db.RevocationRequests.SingleAsync();
        Assert.Equal(RevocationState.Failed, request.State);
        Assert.Equal(ExposureState.Open, (await db.Exposures.SingleAsync()).State);
    }

    [Fact]
    public async Task Validate_checks_the_token_or_says_why_it_cannot()
    {
        await using var h = await RemediationHarness.StartAsync();
        h.Stub.Answer = _ => new StubAnswer(401);
        var exposure = (await h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(10)]))[0];
        var id = exposure.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var off = await CliRunner.RunAsync(h.Store, "validate", "--token", id, $"--HuggingFace:BaseUrl={h.Stub.BaseUrl}");
        Assert.Equal(2, off.ExitCode);
        Assert.Contains("turned off", off.Out, StringComparison.Ordinal);

        var invalid = await CliRunner.RunAsync(h.Store, "validate", "--token", id, $"--HuggingFace:BaseUrl={h.Stub.BaseUrl}", "--Remediation:Validation:Enabled=true");
        Assert.True(invalid.ExitCode == 0, invalid.Out + invalid.Error);
        Assert.Contains("401", invalid.Out, StringComparison.Ordinal);
        await using var db = h.Db();
        Assert.Equal(ExposureState.Remediated, (await db.Exposures.SingleAsync()).State);
    }
}
