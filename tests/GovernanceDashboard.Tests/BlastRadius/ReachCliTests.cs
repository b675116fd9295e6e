using System.Globalization;
using System.Text.Json;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Remediation;

namespace GovernanceDashboard.Tests.BlastRadius;

/// <summary>reach as a verb of the built program (a real child process) against the stub: 0 read in full, 2 cannot be read, 1 cut short.</summary>
public class ReachCliTests
{
    [Fact]
    public async Task Reach_reads_a_token_and_answers_0_2_or_1()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        const string secret = "ghp_ReachCliTest0001AbCdEfGhIjKlMnOpQrStUv";
        var live = await h.TokenAsync(TokenPlatform.GitHub, secret);
        var readOnly = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ReachCliTest0002AbCdEfGhIjKlMnOpQrStUv", WriteCapability.Read);
        var limited = false;
        h.Stub.Answer = r => limited
            ? new StubAnswer(429, null, new Dictionary<string, string> { ["Retry-After"] = "60" })
            : r.Path == "/user/repos?per_page=100"
                ? new StubAnswer(200, """[{"full_name":"acme/sdk","stargazers_count":1200,"forks_count":300,"permissions":{"push":true}}]""")
                : new StubAnswer(200, """[{"id":1}]""");
        var platform = $"--GitHub:ApiBaseUrl={h.Stub.BaseUrl}";
        string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

        var read = await CliRunner.RunAsync(h.Store, "reach", "--token", Id(live), "--json", platform);
        Assert.True(read.ExitCode == 0, read.Out + read.Error);
        using (var json = JsonDocument.Parse(read.Out))
            Assert.Equal(8.26073, json.RootElement.GetProperty("score").GetDouble(), 5);

        var cannot = await CliRunner.RunAsync(h.Store, "reach", "--token", Id(readOnly), platform);
        Assert.Equal(2, cannot.ExitCode);
        Assert.Contains("not known to be write-capable", cannot.Out, StringComparison.Ordinal);

        limited = true;
        Assert.Equal(1, (await CliRunner.RunAsync(h.Store, "reach", "--token", Id(live), platform)).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync(h.Store, "reach", "--token", "abc")).ExitCode); // a usage error
        Assert.DoesNotContain(secret, read.Out + read.Error + cannot.Out + cannot.Error, StringComparison.Ordinal);
    }
}
