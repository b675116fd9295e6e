using System.Text.Json;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Sync;

/// <summary><c>sync alerts</c> as an operator runs it: the built program as a child process against the GitHub stub.</summary>
public class SyncCliTests
{
    private static string[] Args(GitHubAppStub stub, TestStore store, params string[] verb) =>
        [.. verb, .. stub.Settings(Path.Combine(store.KeyDirectory, "github-app.pem")).Select(s => $"--{s.Key}={s.Value}")];

    [Fact]
    public async Task Sync_alerts_pulls_the_organisation_and_answers_json_then_adds_nothing_the_second_time()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        for (var n = 1; n <= 3; n++) stub.Put(GitHubAppStub.Alert(n, GitHubAppStub.Secret(n), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMinutes(-n)));
        await using var store = await new TestStore().MigrateAsync();

        var first = await CliRunner.RunAsync(store, Args(stub, store, "sync", "alerts", "--org", "acme", "--json"));
        Assert.True(first.ExitCode == 0, first.Error);
        using (var json = JsonDocument.Parse(first.Out))
        {
            var org = json.RootElement.GetProperty("organizations")[0];
            Assert.Equal(("acme", 3, 3), (org.GetProperty("organization").GetString(), org.GetProperty("alertsIngested").GetInt32(), org.GetProperty("tokensNew").GetInt32()));
        }
        var second = await CliRunner.RunAsync(store, Args(stub, store, "sync", "alerts", "--json"));
        Assert.True(second.ExitCode == 0, second.Error);
        using (var json = JsonDocument.Parse(second.Out))
            Assert.Equal(0, json.RootElement.GetProperty("organizations")[0].GetProperty("alertsIngested").GetInt32());
        await using var db = store.Factory.CreateDbContext();
        Assert.Equal(3, await db.Tokens.CountAsync());
        foreach (var n in Enumerable.Range(1, 3)) Assert.DoesNotContain(GitHubAppStub.Secret(n), first.Out + first.Error + second.Out + second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_alerts_exits_2_with_GitHubs_reason_when_GitHub_refuses_the_app()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        await using var store = await new TestStore().MigrateAsync();
        var args = Args(stub, store, "sync", "alerts");
        // Another app's key: GitHub cannot verify the JWT.
        using (var other = System.Security.Cryptography.RSA.Create(2048))
            await File.WriteAllTextAsync(Path.Combine(store.KeyDirectory, "github-app.pem"), other.ExportRSAPrivateKeyPem());

        var refused = await CliRunner.RunAsync(store, args);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("A JSON web token could not be decoded", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, stub.JwtsRefused);

        var unknown = await CliRunner.RunAsync(store, "sync", "everything");
        Assert.Equal(2, unknown.ExitCode);
    }
}
