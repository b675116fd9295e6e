using System.Net;
using System.Text;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Sync;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Sync;

/// <summary>GitHub's webhook against the real app (its workers running) and the GitHub stub on 127.0.0.1.</summary>
public class WebhookTests
{
    private const string WebhookSecret = "webhook-secret-for-tests";

    /// <summary>The app connected to the stub, GitHub tokens under the automatic revocation policy.</summary>
    private static AppFactory App(GitHubAppStub stub, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Remediation:AutoRevoke:GitHub"] = "Critical,High,Medium,Low",
            ["Sync:IntervalMinutes"] = "0",
        };
        var app = new AppFactory(extra: settings);
        foreach (var (k, v) in stub.Settings(Path.Combine(app.Store.KeyDirectory, "github-app.pem"))) settings[k] = v;
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return app;
    }

    private static IDbContextFactory<GovernanceDbContext> Factory(AppFactory app) => app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();

    [Fact]
    public async Task A_signed_created_delivery_fetches_the_alert_and_the_policy_revokes_it_recording_the_time_from_the_webhook_and_a_replay_adds_nothing()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        var secret = GitHubAppStub.Secret(1);
        stub.Put(GitHubAppStub.Alert(1, secret, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow));
        await using var app = App(stub);
        using var client = app.Client();

        using var response = await client.SendAsync(GitHubAppStub.Delivery(WebhookSecret, "delivery-1", 1));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await Seed.EventuallyAsync(() => Task.FromResult(stub.Requests.Any(r => r.Path == "/credentials/revoke")));
        var fetch = Assert.Single(stub.Requests, r => r.Path == "/repos/acme/app/secret-scanning/alerts/1");
        Assert.StartsWith("Bearer ghs_stubInstallation", fetch.Authorization, StringComparison.Ordinal);
        var revoke = Assert.Single(stub.Requests, r => r.Path == "/credentials/revoke");
        Assert.Equal([secret], revoke.Credentials());
        Assert.Null(revoke.Authorization);

        await Seed.EventuallyAsync(async () =>
        {
            await using var db = Factory(app).CreateDbContext();
            return await db.RevocationRequests.AnyAsync(r => r.State == RevocationState.Sent && r.AlertReceivedAt != null)
                && await db.WebhookDeliveries.AnyAsync(d => d.State == DeliveryState.Done);
        });
        await using (var db = Factory(app).CreateDbContext())
        {
            var delivery = await db.WebhookDeliveries.SingleAsync();
            Assert.Equal((DeliveryState.Done, "secret_scanning_alert", "created", "acme/app", 1L), (delivery.State, delivery.Event, delivery.Action, delivery.Repository, delivery.AlertNumber));
            Assert.NotNull(delivery.ImportId);
            var request = await db.RevocationRequests.SingleAsync();
            Assert.Equal(delivery.ReceivedAt, request.AlertReceivedAt);
            Assert.InRange(request.SentAt!.Value, delivery.ReceivedAt, revoke.ReceivedAt.AddSeconds(1));
            Assert.Equal(ExposureState.Remediated, (await db.Exposures.SingleAsync()).State);
        }
        // The Exposures API gives the time the webhook arrived next to the request's.
        using var analyst = await SignedInAnalystAsync(app);
        var exposures = await analyst.GetStringAsync("/api/exposures");
        Assert.Contains("\"alertReceivedAt\"", exposures, StringComparison.Ordinal);

        // GitHub redelivers the same delivery: 200, nothing added, nothing fetched again.
        using var replay = await client.SendAsync(GitHubAppStub.Delivery(WebhookSecret, "delivery-1", 1));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await using (var db = Factory(app).CreateDbContext())
        {
            Assert.Equal((1, 1, 1), (await db.WebhookDeliveries.CountAsync(), await db.Imports.CountAsync(), await db.Occurrences.CountAsync()));
        }
        Assert.Single(stub.Requests, r => r.Path == "/repos/acme/app/secret-scanning/alerts/1");
    }

    [Fact]
    public async Task Bad_or_missing_signatures_store_nothing_unknown_events_are_ignored_and_oversized_bodies_refused()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        stub.Put(GitHubAppStub.Alert(1, GitHubAppStub.Secret(1), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        await using var app = App(stub);
        using var client = app.Client();

        using (var wrong = await client.SendAsync(GitHubAppStub.Delivery("not-the-secret", "bad-1", 1)))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var unsigned = GitHubAppStub.Delivery(WebhookSecret, "bad-2", 1);
        unsigned.Headers.Remove("X-Hub-Signature-256");
        using (var missing = await client.SendAsync(unsigned))
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        // A valid signature of another body: the body was changed on the way.
        var good = GitHubAppStub.Delivery(WebhookSecret, "bad-3", 1);
        var tampered = GitHubAppStub.Delivery(WebhookSecret, "bad-3", 2, signatureOverride: good.Headers.GetValues("X-Hub-Signature-256").Single());
        using (var changed = await client.SendAsync(tampered))
            Assert.Equal(HttpStatusCode.Unauthorized, changed.StatusCode);
        Assert.Equal(3, app.Services.GetRequiredService<WebhookCounters>().RejectedSinceStart);

        // Signed, but nothing this dashboard acts on: accepted and ignored.
        using (var push = await client.SendAsync(GitHubAppStub.Delivery(WebhookSecret, "other-1", 1, eventName: "push"))) Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
        using (var action = await client.SendAsync(GitHubAppStub.Delivery(WebhookSecret, "other-2", 1, action: "deleted"))) Assert.Equal(HttpStatusCode.Accepted, action.StatusCode);
        // Signed, handled event, but no usable repository: a clear 400.
        using (var bad = await client.SendAsync(GitHubAppStub.Delivery(WebhookSecret, "other-3", 1, repository: "acme/../../admin"))) Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var big = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new ByteArrayContent(new byte[WebhookReceiver.MaxBodyBytes + 1]) };
        big.Headers.Add("X-GitHub-Event", "secret_scanning_alert");
        big.Headers.Add("X-GitHub-Delivery", "big-1");
        using (var tooLarge = await client.SendAsync(big)) Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        await Task.Delay(500);
        await using var db = Factory(app).CreateDbContext();
        Assert.Equal((0, 0, 0), (await db.WebhookDeliveries.CountAsync(), await db.Imports.CountAsync(), await db.Tokens.CountAsync()));
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task A_delivery_queued_before_the_host_stops_is_processed_once_by_the_next_host_on_the_same_store()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        var secret = GitHubAppStub.Secret(9);
        stub.Put(GitHubAppStub.Alert(9, secret, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));
        // GitHub is rate limited at first: the delivery waits in the queue for GitHub's retry-after.
        stub.Override = r => r.Path.StartsWith("/repos/", StringComparison.Ordinal)
            ? new StubAnswer(429, "{\"message\":\"secondary rate limit\"}", new Dictionary<string, string> { ["retry-after"] = "3" })
            : null;
        // One store for both hosts, owned by the test (a factory's own store is deleted with it).
        await using var store = new TestStore();
        var settings = new Dictionary<string, string?>(store.Settings)
        {
            ["Remediation:AutoRevoke:GitHub"] = "Critical,High,Medium,Low", ["Sync:IntervalMinutes"] = "0",
        };
        foreach (var (k, v) in stub.Settings(Path.Combine(store.KeyDirectory, "github-app.pem"))) settings[k] = v;
        var first = new AppFactory(extra: settings);
        using (var client = first.Client())
        using (var response = await client.SendAsync(GitHubAppStub.Delivery(WebhookSecret, "restart-1", 9)))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The stub answers before the worker records the answer: wait for the record, not for the request.
        await Seed.EventuallyAsync(async () =>
        {
            await using var db = store.Factory.CreateDbContext();
            return await db.WebhookDeliveries.AnyAsync(d => d.LastError != null);
        });
        await using (var db = store.Factory.CreateDbContext())
        {
            var waiting = await db.WebhookDeliveries.SingleAsync();
            Assert.Equal(DeliveryState.Queued, waiting.State);
            Assert.Contains("rate limit", waiting.LastError, StringComparison.Ordinal);
        }
        // The first host stops (its workers with it) before GitHub's retry-after has passed.
        await first.DisposeAsync();
        stub.Override = _ => null;

        await using var second = new AppFactory(extra: settings);
        _ = second.Server;
        await Seed.EventuallyAsync(() => Task.FromResult(stub.Requests.Any(r => r.Path == "/credentials/revoke")));
        await Task.Delay(1000);
        await using (var db = store.Factory.CreateDbContext())
        {
            var d = await db.WebhookDeliveries.SingleAsync();
            Assert.True(stub.Requests.Count(r => r.Path == "/repos/acme/app/secret-scanning/alerts/9") == 2,
                $"{d.State} {d.Attempts} {d.NextAttemptAt:O} {d.LastError} now {DateTimeOffset.UtcNow:O}; " + string.Join(", ", stub.Requests.Select(r => r.Method + " " + r.Path)));
        }
        Assert.Equal([secret], Assert.Single(stub.Requests, r => r.Path == "/credentials/revoke").Credentials());
        await Seed.EventuallyAsync(async () =>
        {
            await using var db = store.Factory.CreateDbContext();
            return await db.WebhookDeliveries.AnyAsync(d => d.State == DeliveryState.Done);
        });
        await using (var db = store.Factory.CreateDbContext())
        {
            var done = await db.WebhookDeliveries.SingleAsync();
            Assert.True((DeliveryState.Done, 2) == (done.State, done.Attempts), $"{done.State} {done.Attempts}: " + string.Join(", ", stub.Requests.Select(r => $"{r.ReceivedAt:HH:mm:ss.fff} {r.Method} {r.Path}")));
            Assert.Equal((1, 1), (await db.Imports.CountAsync(), await db.Occurrences.CountAsync()));
        }
    }

    private static async Task<HttpClient> SignedInAnalystAsync(AppFactory app)
    {
        await Seed.PersonAsync(app.Services, "analyst", Roles.Analyst);
        return await app.SignedInClientAsync("analyst@acme.test");
    }
}
