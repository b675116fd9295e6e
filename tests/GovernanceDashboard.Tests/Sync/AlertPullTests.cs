using System.Text;
using System.Text.Json.Nodes;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Sync;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GovernanceDashboard.Tests.Sync;

/// <summary>The pull against the GitHub stub, in the services the command line hosts, on a real SQLite store.</summary>
public class AlertPullTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Created(int n) => Start.AddMinutes(n);

    private static JsonObject AlertOf(int n) => n % 10 == 0
        ? GitHubAppStub.Alert(n, GitHubAppStub.Secret(n), Created(n), Created(n).AddHours(3), "resolved", "revoked", Created(n).AddHours(2))
        : n % 25 == 0
            ? GitHubAppStub.Alert(n, GitHubAppStub.Secret(n), Created(n), Created(n).AddHours(3), "resolved", "false_positive", Created(n).AddHours(2))
            : GitHubAppStub.Alert(n, GitHubAppStub.Secret(n), Created(n), Created(n).AddHours(1));

    private static async Task<(IHost Host, TestStore Store)> HostAsync(GitHubAppStub stub)
    {
        var store = new TestStore();
        var host = await TestHost.StartAsync(store, stub.Settings(Path.Combine(store.KeyDirectory, "github-app.pem")));
        return (host, store);
    }

    [Fact]
    public async Task A_pull_of_250_alerts_over_three_pages_imports_them_with_their_states_and_times_and_a_second_pull_adds_nothing()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        for (var n = 1; n <= 250; n++) stub.Put(AlertOf(n));
        var (host, store) = await HostAsync(stub);
        await using var _ = store;
        using var __ = host;
        var puller = host.Services.GetRequiredService<AlertPuller>();

        var first = Assert.Single(await puller.PullAsync());
        Assert.Equal(("acme", 3, 250, 250, 250), (first.Organization, first.Pages, first.AlertsRead, first.AlertsIngested, first.TokensNew));
        var lists = stub.Requests.Where(r => r.Path.StartsWith("/orgs/acme/secret-scanning/alerts", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Contains("per_page=100", r.Path, StringComparison.Ordinal));
        Assert.All(lists, r => Assert.Contains("sort=updated", r.Path, StringComparison.Ordinal));
        Assert.All(lists, r => Assert.StartsWith("Bearer ghs_stubInstallation", r.Authorization, StringComparison.Ordinal));
        Assert.DoesNotContain(lists, r => r.Path.Contains("hide_secret", StringComparison.Ordinal));
        Assert.Equal(1, stub.JwtsVerified);

        var factory = host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<GovernanceDbContext>>();
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(250, await db.Tokens.CountAsync());
            var exposures = await db.Exposures.Include(e => e.Token).ToListAsync();
            Assert.Equal(250, exposures.Count);
            Assert.Equal(25, exposures.Count(e => e.State == ExposureState.Remediated));
            Assert.Equal(5, exposures.Count(e => e.State == ExposureState.Dismissed));
            Assert.Equal(220, exposures.Count(e => e.State == ExposureState.Open));
            var occurrences = await db.Occurrences.ToListAsync();
            foreach (var o in occurrences.Where(o => o.AlertNumber is 7 or 30 or 75))
            {
                var exposure = exposures.Single(e => e.TokenId == o.TokenId);
                Assert.Equal(Created((int)o.AlertNumber!.Value), exposure.DetectedAt);
                if (o.AlertNumber == 30) Assert.Equal(Created(30).AddHours(2), exposure.RemediatedAt);
                if (o.AlertNumber == 75) Assert.Equal((Created(75).AddHours(2), "false_positive"), (exposure.DismissedAt!.Value, exposure.DismissalReason));
            }
            var state = await db.GitHubSyncStates.SingleAsync();
            Assert.Equal(Created(250).AddHours(3), state.HighWaterMark);
            Assert.Equal(3, await db.Imports.CountAsync());
        }

        var second = Assert.Single(await puller.PullAsync());
        Assert.Equal((1, 0, 0), (second.Pages, second.AlertsIngested, second.TokensNew));
        Assert.Empty(second.ImportIds);
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal((250, 250, 250, 3), (await db.Tokens.CountAsync(), await db.Occurrences.CountAsync(), await db.Exposures.CountAsync(), await db.Imports.CountAsync()));
        }

        // Secrets never in clear on disk: not in the store's files, nothing left in the spool.
        var secrets = Enumerable.Range(1, 250).Select(GitHubAppStub.Secret).ToList();
        foreach (var file in Directory.EnumerateFiles(store.Directory, "governance.db*"))
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
        }
        Assert.Empty(Directory.EnumerateFiles(host.Services.GetRequiredService<UploadSpool>().Directory));
    }

    [Fact]
    public async Task A_pull_and_a_later_upload_of_the_same_alerts_add_nothing_and_the_next_pull_takes_only_what_changed()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        for (var n = 1; n <= 120; n++) stub.Put(AlertOf(n));
        var (host, store) = await HostAsync(stub);
        await using var _ = store;
        using var __ = host;
        var puller = host.Services.GetRequiredService<AlertPuller>();
        Assert.Equal(120, Assert.Single(await puller.PullAsync("acme")).TokensNew);

        // The same alerts as `gh api --paginate` writes them, uploaded as a file.
        var file = Path.Combine(store.Directory, "alerts.json");
        var pages = Enumerable.Range(1, 120).Select(AlertOf).Chunk(100).Select(page => new JsonArray([.. page]).ToJsonString());
        await File.WriteAllTextAsync(file, string.Concat(pages));
        var upload = await host.Services.GetRequiredService<ImportService>().ImportFileAsync(file, new ImportRequest("alerts.json", null, null, "analyst@acme.test"));
        Assert.Equal(("github-alerts", 120, 0, 0, 0, 0), (upload.Format, upload.Records, upload.TokensNew, upload.OccurrencesNew, upload.ExposuresOpened, upload.ExposuresClosed));

        // One alert resolved as revoked, one new: only these two are read past the mark and ingested.
        var later = Created(500);
        stub.Put(GitHubAppStub.Alert(5, GitHubAppStub.Secret(5), Created(5), later, "resolved", "revoked", later));
        stub.Put(GitHubAppStub.Alert(121, GitHubAppStub.Secret(121), later, later));
        var listsBefore = stub.Requests.Count(r => r.Path.StartsWith("/orgs/", StringComparison.Ordinal));
        var next = Assert.Single(await puller.PullAsync());
        Assert.Equal((1, 2, 1, 1, 1), (next.Pages, next.AlertsIngested, next.TokensNew, next.ExposuresOpened, next.ExposuresClosed));
        Assert.Equal(listsBefore + 1, stub.Requests.Count(r => r.Path.StartsWith("/orgs/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_pull_cut_short_by_a_rate_limit_keeps_what_it_ingested_and_does_not_move_the_mark()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        for (var n = 1; n <= 150; n++) stub.Put(AlertOf(n));
        var (host, store) = await HostAsync(stub);
        await using var _ = store;
        using var __ = host;
        stub.Override = r => r.Path.Contains("page=2", StringComparison.Ordinal)
            ? new Remediation.StubAnswer(403, "{\"message\":\"API rate limit exceeded\"}", new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) })
            : null;
        var puller = host.Services.GetRequiredService<AlertPuller>();
        await Assert.ThrowsAsync<GovernanceDashboard.Platforms.GitHubApp.GitHubRateLimitedException>(() => puller.PullAsync());
        var factory = host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(100, await db.Tokens.CountAsync());
            var state = await db.GitHubSyncStates.SingleAsync();
            Assert.Null(state.HighWaterMark);
            Assert.Contains("rate limit", state.LastError, StringComparison.Ordinal);
        }

        stub.Override = _ => null;
        var retried = Assert.Single(await puller.PullAsync());
        Assert.Equal((2, 150, 50), (retried.Pages, retried.AlertsIngested, retried.TokensNew));
    }
}
