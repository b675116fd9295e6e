using System.Globalization;
using System.Text;
using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Settings;
using GovernanceDashboard.Sync;
using GovernanceDashboard.Sync.GitHub;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Approvals;
using GovernanceDashboard.Workflows.Attestations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Sync.GitHub;

/// <summary>The GitHub organisation sync against the GitHub stub on 127.0.0.1, in the services the command line hosts, on a real
/// SQLite store: fine-grained PATs into the inventory, PAT requests through our approval queue and back, revocation of an
/// organisation's access, credential authorisations linked to leaks.</summary>
public class OrgSyncTests
{
    private const string Org = "acme";

    /// <summary>Near the real time: the stub checks the app's JWT against its own clock.</summary>
    private static FakeTimeProvider Clock() => new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private static readonly string People = string.Join('\n',
        "email,display_name,team,manager_email,active,roles,github_login",
        "lead@acme.test,Lead,Security,,true,Admin;Approver,",
        "analyst@acme.test,Analyst,Security,,true,Analyst,",
        "approver1@acme.test,Approver One,Security,,true,Approver,",
        "approver2@acme.test,Approver Two,Security,,true,Approver,",
        "dev0@acme.test,Dev Zero,Platform,,true,,Dev0",
        "dev1@acme.test,Dev One,Platform,,true,,dev1",
        "dev2@acme.test,Dev Two,Platform,,true,,DEV2",
        "dev3@acme.test,Dev Three,Platform,,true,,dev3",
        "dev4@acme.test,Dev Four,Platform,,true,,dev-4") + "\n";

    private sealed class Setup(GitHubAppStub stub, TestStore store, IHost host, FakeTimeProvider clock, CapturedLogs logs) : IAsyncDisposable
    {
        public GitHubAppStub Stub { get; } = stub;
        public TestStore Store { get; } = store;
        public IHost Host { get; private set; } = host;
        public FakeTimeProvider Clock { get; } = clock;
        public CapturedLogs Logs { get; } = logs;
        public Dictionary<string, string?> Settings { get; init; } = [];

        public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

        public GovernanceDbContext Db() => Store.Factory.CreateDbContext();

        /// <summary>Stops this process's services and starts new ones on the same store and keys (a restart).</summary>
        public async Task RestartAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
            Host = await TestHost.StartAsync(Store, Settings, Clock, Logs);
        }

        public async Task<Actor> ActorAsync(string email)
        {
            await using var db = Db();
            var p = await db.People.SingleAsync(x => x.Email == email);
            return new Actor(p.Id, p.Email, p.Roles);
        }

        public async ValueTask DisposeAsync()
        {
            Host.Dispose();
            await Store.DisposeAsync();
            await Stub.DisposeAsync();
        }
    }

    private static async Task<Setup> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var stub = await GitHubAppStub.StartAsync();
        var store = new TestStore();
        var settings = stub.Settings(Path.Combine(store.KeyDirectory, "github-app.pem"));
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var clock = Clock();
        var logs = new CapturedLogs();
        var host = await TestHost.StartAsync(store, settings, clock, logs);
        var setup = new Setup(stub, store, host, clock, logs) { Settings = settings };
        var file = Path.Combine(store.Directory, "people.csv");
        await File.WriteAllTextAsync(file, People);
        var summary = await setup.Get<ImportService>().ImportFileAsync(file, new ImportRequest("people.csv", ImportFormats.PeopleCsv, null, "test") { MayChangeDirectory = true });
        Assert.Equal(9, summary.PeopleAdded);
        return setup;
    }

    private const string Write = """{"contents":"write","metadata":"read"}""";
    private const string Read = """{"contents":"read","metadata":"read"}""";

    [Fact]
    public void The_people_csv_reads_github_login_lower_cased_and_rejects_a_login_GitHub_would_not_give()
    {
        var csv = "email,display_name,team,manager_email,active,github_login\na@x.test,A,T,,true,Octo-Cat\nb@x.test,B,T,,true,\nc@x.test,C,T,,true,bad login!\n";
        var items = PeopleCsvParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv))).ToList();
        Assert.Equal("octo-cat", Assert.IsType<PersonRow>(items[0]).GitHubLogin);
        Assert.Equal("", Assert.IsType<PersonRow>(items[1]).GitHubLogin);
        Assert.Contains("github_login", Assert.IsType<RejectedRecord>(items[2]).Reason, StringComparison.Ordinal);
        var without = PeopleCsvParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes("email,display_name,team,manager_email,active\na@x.test,A,T,,true\n"))).ToList();
        Assert.Null(Assert.IsType<PersonRow>(without[0]).GitHubLogin);
    }

    [Fact]
    public async Task Two_hundred_fifty_PATs_over_three_pages_become_owned_tokens_a_second_sync_changes_nothing_and_changes_and_disappearances_are_recorded()
    {
        await using var s = await StartAsync();
        var granted = s.Clock.GetUtcNow().AddDays(-30);
        for (var n = 1; n <= 250; n++)
        {
            // Owners dev0..dev4 are mapped (GitHub spells some logins differently in case), dev5..dev9 are nobody of the directory.
            var login = n % 10 == 4 ? "dev-4" : $"Dev{n % 10}";
            s.Stub.PutPat(Org, GitHubAppStub.Pat(10_000 + n, n, login, $"ci token {n}", n % 3 == 0 ? Write : Read,
                    n % 7 == 0 ? """{"members":"admin"}""" : null, n % 50 == 0 ? "subset" : "all", granted.AddMinutes(n), n == 3 ? s.Clock.GetUtcNow().AddHours(1) : s.Clock.GetUtcNow().AddDays(60)),
                n % 50 == 0 ? ["acme/web", "acme/api"] : []);
        }
        var sync = s.Get<GitHubOrgSync>();

        var first = Assert.Single(await sync.SyncAsync());
        Assert.Equal((3, 250, 250, 0, 0), (first.Tokens.Pages, first.Tokens.Listed, first.New, first.Changed, first.Gone));
        var lists = s.Stub.Requests.Where(r => r.Path.StartsWith("/orgs/acme/personal-access-tokens?", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Contains("per_page=100", r.Path, StringComparison.Ordinal));
        Assert.Equal(5, s.Stub.Requests.Count(r => r.Path.Contains("/repositories", StringComparison.Ordinal)));

        await using (var db = s.Db())
        {
            var tokens = await db.Tokens.Include(t => t.Owner).ToListAsync();
            Assert.Equal(250, tokens.Count);
            Assert.All(tokens, t => Assert.Equal((TokenPlatform.GitHub, TokenKind.GitHubFineGrainedPat, false, TokenStatus.Active, Org),
                (t.Platform, t.Kind, t.Identified, t.Status, t.Organizations)));
            var rows = await db.GitHubOrgTokens.ToDictionaryAsync(r => r.GitHubTokenId);
            foreach (var t in tokens)
            {
                var n = (int)rows.Values.Single(r => r.TokenId == t.Id).GitHubTokenId;
                var expectedOwner = (n % 10) switch { 0 => "dev0@acme.test", 1 => "dev1@acme.test", 2 => "dev2@acme.test", 3 => "dev3@acme.test", 4 => "dev4@acme.test", _ => null };
                Assert.Equal(expectedOwner, t.Owner?.Email);
                // Write by the fine-grained rule: a repository write or an organisation admin permission.
                Assert.Equal(n % 3 == 0 || n % 7 == 0 ? WriteCapability.Write : WriteCapability.Read, t.WriteCapability);
                Assert.Equal(granted.AddMinutes(n), t.FirstSeenAt);
                Assert.StartsWith($"github_pat #{n} ci token {n}", t.Mask, StringComparison.Ordinal);
                Assert.StartsWith("g:", t.Identity, StringComparison.Ordinal);
            }
            // What blast radius reads: the permissions and repositories of each synced PAT.
            Assert.Equal("""["acme/api","acme/web"]""", rows[50].Repositories);
            Assert.Contains("\"contents\":\"read\"", rows[1].Permissions, StringComparison.Ordinal);
            Assert.Equal(250, await db.AuditEvents.CountAsync(e => e.Kind == "token.github-org.new"));
        }
        var page = await s.Get<TokenInventory>().ListAsync(new TokenFilter(), 1, 500);
        Assert.Equal(250, page.Total);
        Assert.All(page.Items, r => Assert.Equal(TokenSources.GitHubOrg, r.Source));

        // Nothing changed on GitHub: nothing changes here.
        int auditBefore;
        await using (var db = s.Db()) auditBefore = await db.AuditEvents.CountAsync();
        var second = Assert.Single(await sync.SyncAsync());
        Assert.Equal((250, 0, 0, 0), (second.Tokens.Listed, second.New, second.Changed, second.Gone));
        await using (var db = s.Db()) Assert.Equal(auditBefore, await db.AuditEvents.CountAsync());

        // One token's permissions widened, one revoked on GitHub, one past its expiry (GitHub lists it no more): recorded at the sync's time.
        s.Clock.Advance(TimeSpan.FromHours(2));
        var at = s.Clock.GetUtcNow();
        s.Stub.PutPat(Org, GitHubAppStub.Pat(10_001, 1, "Dev1", "ci token 1", Write, null, "all", granted.AddMinutes(1), at.AddDays(58)));
        s.Stub.RemovePat(Org, 2);
        s.Stub.RemovePat(Org, 3);
        var third = Assert.Single(await sync.SyncAsync());
        Assert.Equal((248, 0, 1, 2), (third.Tokens.Listed, third.New, third.Changed, third.Gone));
        Assert.Equal([("changed", 1L), ("expired", 3L), ("revoked", 2L)],
            third.Tokens.Changes.Select(c => (c.Change, c.GitHubTokenId)).OrderBy(c => c.Change, StringComparer.Ordinal));
        Assert.All(third.Tokens.Changes, c => Assert.Equal(at, c.At));
        await using (var db = s.Db())
        {
            var rows = await db.GitHubOrgTokens.Include(r => r.Token).Where(r => r.GitHubTokenId <= 3).ToDictionaryAsync(r => r.GitHubTokenId);
            Assert.Equal((WriteCapability.Write, TokenStatus.Active), (rows[1].Token!.WriteCapability, rows[1].Token!.Status));
            Assert.Equal((at, TokenStatus.Revoked, at), (rows[2].Token!.RevokedAt, rows[2].Token!.Status, rows[2].GoneAt));
            Assert.Equal((null, TokenStatus.Expired), (rows[3].Token!.RevokedAt, rows[3].Token!.Status));
            var changed = await db.AuditEvents.SingleAsync(e => e.Kind == "token.github-org.changed");
            Assert.Equal((at, $"token:{rows[1].TokenId}"), (changed.At, changed.Subject));
            Assert.Contains("contents:read", changed.Before, StringComparison.Ordinal);
            Assert.Contains("contents:write", changed.After, StringComparison.Ordinal);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == "token.github-org.revoked" && e.At == at));
            Assert.Equal(250, await db.Tokens.CountAsync());
        }

        // Neither the app's private key nor an installation token in the store's files or the logs.
        var key = s.Stub.PrivateKeyPem.Split('\n')[1];
        var issued = s.Stub.Requests.Select(r => r.Authorization).Where(a => a?.StartsWith("Bearer ghs_", StringComparison.Ordinal) == true).Distinct().Select(a => a!["Bearer ".Length..]).ToList();
        Assert.NotEmpty(issued);
        foreach (var file in Directory.EnumerateFiles(s.Store.Directory, "governance.db*"))
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(issued, i => text.Contains(i, StringComparison.Ordinal));
        }
        var logged = string.Join('\n', s.Logs.Lines);
        Assert.Contains("GitHub organisation acme", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(issued, i => logged.Contains(i, StringComparison.Ordinal));
        Assert.DoesNotContain(key, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_synced_write_token_gets_the_blast_radius_of_the_repositories_GitHub_lists_for_it_and_a_read_token_none()
    {
        await using var s = await StartAsync();
        s.Stub.PutRepositoryFigures("acme/web", stars: 120, forks: 30);
        s.Stub.PutRepositoryFigures("acme/docs", stars: 5, forks: 0);
        s.Stub.PutOrgRepositories(Org, "acme/web", "acme/docs", "acme/api");
        s.Stub.PutPat(Org, GitHubAppStub.Pat(20_001, 1, "dev1", "deploy", Write, selection: "subset"), "acme/web", "acme/api");
        s.Stub.PutPat(Org, GitHubAppStub.Pat(20_002, 2, "dev2", "reader", Read, selection: "subset"), "acme/web");
        s.Stub.PutPat(Org, GitHubAppStub.Pat(20_003, 3, "dev3", "everything", Write, selection: "all"));

        await s.Get<GitHubOrgSync>().SyncAsync();

        await using var db = s.Db();
        var byId = await db.GitHubOrgTokens.Include(r => r.Token).ToDictionaryAsync(r => r.GitHubTokenId, r => r.Token!);
        // By hand (docs/metrics.md): acme/web log10(1 + 10·120 + 5·30) = log10(1351); acme/api log10(1) = 0; acme/docs log10(51).
        Assert.Equal(Math.Log10(1351), byId[1].BlastRadius, 9);
        Assert.Equal(0, byId[2].BlastRadius);
        Assert.Equal(Math.Log10(1351) + Math.Log10(51), byId[3].BlastRadius, 9);
        var reach = await db.TokenReach.Where(r => r.TokenId == byId[1].Id).OrderBy(r => r.FullName).ToListAsync();
        Assert.Equal([("acme/api", true, 0L), ("acme/web", true, 120L)], reach.Select(r => (r.FullName, r.CanWrite, r.Stars)));
        Assert.All(reach, r => Assert.Equal(OrgTokenSync.ReachSource, r.Source));
        Assert.Equal(1, s.Stub.Requests.Count(r => r.Path.StartsWith("/orgs/acme/repos", StringComparison.Ordinal)));

        // The grid sorts by it: the organisation-wide write token first.
        var page = await s.Get<TokenInventory>().ListAsync(new TokenFilter(), 1, 10, TokenSort.BlastRadiusDesc);
        Assert.Equal([byId[3].Id, byId[1].Id, byId[2].Id], page.Items.Select(t => t.Id));
    }

    [Fact]
    public async Task A_sync_cut_short_by_a_rate_limit_or_a_bad_page_writes_nothing_records_why_and_the_next_sync_takes_everything()
    {
        await using var s = await StartAsync();
        for (var n = 1; n <= 150; n++) s.Stub.PutPat(Org, GitHubAppStub.Pat(40_000 + n, 800 + n, "dev1", $"t{n}", Read));
        var reset = s.Clock.GetUtcNow().AddMinutes(7).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        s.Stub.Override = r => r.Path.Contains("personal-access-tokens?", StringComparison.Ordinal) && r.Path.Contains("page=2", StringComparison.Ordinal)
            ? new GovernanceDashboard.Tests.Remediation.StubAnswer(403, """{"message":"API rate limit exceeded"}""",
                new Dictionary<string, string> { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = reset })
            : null;
        var limited = await Assert.ThrowsAsync<GovernanceDashboard.Platforms.GitHubApp.GitHubRateLimitedException>(() => s.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(long.Parse(reset, CultureInfo.InvariantCulture)), limited.RetryAt);
        await using (var db = s.Db())
        {
            Assert.Equal((0, 0), (await db.Tokens.CountAsync(), await db.GitHubOrgTokens.CountAsync()));
            Assert.Contains("rate limit", (await db.GitHubOrgSyncStates.SingleAsync()).LastError, StringComparison.OrdinalIgnoreCase);
        }

        s.Stub.Override = r => r.Path.Contains("personal-access-tokens?", StringComparison.Ordinal) ? new GovernanceDashboard.Tests.Remediation.StubAnswer(200, """{"not":"a list"}""") : null;
        await Assert.ThrowsAsync<JsonException>(() => s.Get<GitHubOrgSync>().SyncAsync());
        await using (var db = s.Db()) Assert.Equal(0, await db.Tokens.CountAsync());

        s.Stub.Override = _ => null;
        var synced = Assert.Single(await s.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal((2, 150), (synced.Tokens.Pages, synced.New));
        await using (var db = s.Db()) Assert.Null((await db.GitHubOrgSyncStates.SingleAsync()).LastError);
    }

    [Fact]
    public async Task A_write_request_for_a_critical_organisation_needs_two_approvers_and_reaches_GitHub_as_approve_once_across_restarts()
    {
        await using var s = await StartAsync();
        var store = s.Get<SettingsStore>();
        var current = await store.LoadAsync();
        await store.SaveAsync(current, current with { RequireTwoApprovalsForCritical = true, CriticalOrganizations = Org }, "test");
        s.Stub.PutPatRequest(Org, GitHubAppStub.PatRequest(9001, 501, "Dev1", "release bot", Write, "Publishes releases of acme/web", s.Clock.GetUtcNow().AddHours(-1)));

        var synced = Assert.Single(await s.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal((1, 1, 1, 0), (synced.Requests.Pending, synced.Requests.New, synced.Requests.Queued, synced.DecisionsSent));
        int requestId;
        await using (var db = s.Db())
        {
            var ours = await db.WriteScopeRequests.Include(r => r.Requester).Include(r => r.Token).SingleAsync();
            Assert.Equal(("dev1@acme.test", RequestStatus.Pending, 2, RequestKind.Request), (ours.Requester!.Email, ours.Status, ours.RequiredApprovals, ours.Kind));
            Assert.Contains("Publishes releases of acme/web", ours.Justification, StringComparison.Ordinal);
            Assert.Equal(TokenKind.GitHubFineGrainedPat, ours.Token!.Kind);
            Assert.Equal(ours.Id, (await db.GitHubPatRequests.SingleAsync()).WriteScopeRequestId);
            requestId = ours.Id;
        }
        // A second sync does not queue it twice.
        Assert.Equal(0, Assert.Single(await s.Get<GitHubOrgSync>().SyncAsync()).Requests.Queued);

        // Separation of duties: the requester cannot decide; one approval of two sends nothing.
        var own = await s.Get<WriteScopeService>().DecideAsync(await s.ActorAsync("dev1@acme.test"), requestId, true, "mine");
        Assert.Equal(Outcome.Forbidden, own.Outcome);
        Assert.True((await s.Get<WriteScopeService>().DecideAsync(await s.ActorAsync("approver1@acme.test"), requestId, true, "first look")).Succeeded);
        Assert.Equal((0, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());
        Assert.Empty(s.Stub.Decisions);

        await s.RestartAsync();
        // The second approval; GitHub then asks us to wait once: the decision keeps its place across another restart.
        var rateLimited = 0;
        s.Stub.Override = r => r.Method == "POST" && r.Path.Contains("personal-access-token-requests", StringComparison.Ordinal) && Interlocked.Increment(ref rateLimited) == 1
            ? new GovernanceDashboard.Tests.Remediation.StubAnswer(429, """{"message":"slow down"}""", new Dictionary<string, string> { ["Retry-After"] = "30" })
            : null;
        Assert.True((await s.Get<WriteScopeService>().DecideAsync(await s.ActorAsync("approver2@acme.test"), requestId, true, "Release bot may write acme/web")).Succeeded);
        Assert.Equal((0, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());
        Assert.Empty(s.Stub.Decisions);
        await using (var db = s.Db())
        {
            var row = await db.GitHubPatRequests.SingleAsync();
            Assert.Equal((PatRequestState.Queued, "approve"), (row.State, row.Action));
            Assert.Contains("rate limit", row.LastError, StringComparison.OrdinalIgnoreCase);
        }

        await s.RestartAsync();
        Assert.Equal((0, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());
        s.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal((1, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());
        Assert.Equal((0, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());
        await s.RestartAsync();
        Assert.Equal((0, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());

        var decision = Assert.Single(s.Stub.Decisions);
        Assert.Equal(new StubDecision(Org, 9001, "approve", "Release bot may write acme/web"), decision);
        Assert.Equal(2, s.Stub.Requests.Count(r => r.Method == "POST" && r.Path == "/orgs/acme/personal-access-token-requests/9001"));
        await using (var db = s.Db())
        {
            Assert.Equal(PatRequestState.Sent, (await db.GitHubPatRequests.SingleAsync()).State);
            Assert.Equal(1, await db.WriteScopeGrants.CountAsync());
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == "github-org.request.decision-sent"));
        }
    }

    [Fact]
    public async Task A_denied_request_reaches_GitHub_as_deny_with_the_reason_and_read_only_requests_are_approved_only_when_the_setting_says_so()
    {
        await using var s = await StartAsync(new() { ["GitHub:AutoApproveReadOnlyRequests"] = "true" });
        var now = s.Clock.GetUtcNow();
        s.Stub.PutPatRequest(Org, GitHubAppStub.PatRequest(9002, 502, "dev2", "scraper", Write, "wants to push", now));
        s.Stub.PutPatRequest(Org, GitHubAppStub.PatRequest(9003, 503, "dev3", "reader", Read, "reads issues", now));
        // Nobody of the directory has this login: it waits for a people CSV that maps it.
        s.Stub.PutPatRequest(Org, GitHubAppStub.PatRequest(9004, 504, "stranger", "unknown", Write, null, now));

        var synced = Assert.Single(await s.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal((3, 1, 1, 1, 1), (synced.Requests.Pending, synced.Requests.Queued, synced.Requests.AutoApproved, synced.Requests.Unmapped, synced.DecisionsSent));
        Assert.Equal(new StubDecision(Org, 9003, "approve", "Read-only access: approved automatically (GitHub:AutoApproveReadOnlyRequests)."), Assert.Single(s.Stub.Decisions));

        int requestId;
        await using (var db = s.Db()) requestId = (await db.WriteScopeRequests.SingleAsync()).Id;
        var approver = await s.ActorAsync("approver1@acme.test");
        Assert.Equal(Outcome.Invalid, (await s.Get<WriteScopeService>().DecideAsync(approver, requestId, false, null)).Outcome);
        Assert.True((await s.Get<WriteScopeService>().DecideAsync(approver, requestId, false, "Scrapers push nowhere: use a read token")).Succeeded);
        Assert.Equal((1, 0), await s.Get<GitHubOrgSync>().SendPendingAsync());
        Assert.Equal(new StubDecision(Org, 9002, "deny", "Scrapers push nowhere: use a read token"), s.Stub.Decisions[1]);
        await using (var db = s.Db())
        {
            Assert.Equal(0, await db.WriteScopeGrants.CountAsync());
            Assert.Equal(PatRequestState.Waiting, (await db.GitHubPatRequests.SingleAsync(r => r.Id == 9004)).State);
        }

        // Without the setting a read-only request is left to the organisation's owners on GitHub.
        await using var plain = await StartAsync();
        plain.Stub.PutPatRequest(Org, GitHubAppStub.PatRequest(9005, 505, "dev3", "reader", Read, "reads issues", now));
        var left = Assert.Single(await plain.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal((1, 0, 0, 0), (left.Requests.Pending, left.Requests.Queued, left.Requests.AutoApproved, left.DecisionsSent));
        Assert.Empty(plain.Stub.Decisions);
    }

    [Fact]
    public async Task Organisation_access_is_revoked_from_the_service_and_by_an_attestation_answer_and_only_Analysts_or_Admins_revoke()
    {
        await using var s = await StartAsync();
        var now = s.Clock.GetUtcNow();
        s.Stub.PutPat(Org, GitHubAppStub.Pat(20_001, 601, "dev1", "deploy", Write, null, "all", now.AddDays(-3)));
        s.Stub.PutPat(Org, GitHubAppStub.Pat(20_002, 602, "dev2", "old", Read, null, "all", now.AddDays(-3)));
        await s.Get<GitHubOrgSync>().SyncAsync();
        int deploy, old;
        await using (var db = s.Db())
        {
            deploy = (await db.GitHubOrgTokens.SingleAsync(r => r.GitHubTokenId == 601)).TokenId;
            old = (await db.GitHubOrgTokens.SingleAsync(r => r.GitHubTokenId == 602)).TokenId;
        }
        var revoker = s.Get<OrgAccessRevoker>();

        Assert.Equal(Outcome.Forbidden, (await revoker.RequestAsync(await s.ActorAsync("dev1@acme.test"), deploy)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await revoker.RequestAsync(await s.ActorAsync("approver1@acme.test"), deploy)).Outcome);
        var revoked = await revoker.RequestAsync(await s.ActorAsync("analyst@acme.test"), deploy);
        Assert.True(revoked.Succeeded, revoked.Message);
        Assert.True(revoked.Value!.Sent);
        Assert.Equal([(Org, 20_001L)], s.Stub.Revocations);
        Assert.Equal(Outcome.Conflict, (await revoker.RequestAsync(await s.ActorAsync("analyst@acme.test"), deploy)).Outcome);
        await using (var db = s.Db())
        {
            var token = await db.Tokens.SingleAsync(t => t.Id == deploy);
            Assert.Equal((TokenStatus.Revoked, now, null), (token.Status, token.RevokedAt, token.RevocationRequestedAt));
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == "token.github-org.revoke-requested" && e.Actor == "analyst@acme.test"));
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == "token.github-org.revoked" && e.Subject == $"token:{deploy}"));
        }

        // The owner attests that the other token is no longer needed: its organisation access is revoked on GitHub.
        var attestations = s.Get<AttestationService>();
        var campaign = await attestations.OpenCampaignAsync(await s.ActorAsync("analyst@acme.test"), "Q4", CampaignScope.AllActive, now.AddDays(14));
        Assert.True(campaign.Succeeded, campaign.Message);
        var owner = await s.ActorAsync("dev2@acme.test");
        var task = Assert.Single(await attestations.MyTasksAsync(owner));
        Assert.True((await attestations.AnswerAsync(owner, task.Id, AttestationAnswer.Revoke, "not needed any more")).Succeeded);
        Assert.Equal((0, 1), await s.Get<GitHubOrgSync>().SendPendingAsync());
        Assert.Equal([(Org, 20_001L), (Org, 20_002L)], s.Stub.Revocations);
        await using (var db = s.Db()) Assert.Equal(TokenStatus.Revoked, (await db.Tokens.SingleAsync(t => t.Id == old)).Status);

        // The next sync finds both gone and records no second revocation.
        var next = Assert.Single(await s.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal((0, 0), (next.Tokens.Listed, next.Gone));
    }

    [Fact]
    public async Task A_credential_authorisation_links_to_the_leaked_classic_token_by_last_eight_and_owner_and_the_leak_keeps_its_exposure()
    {
        await using var s = await StartAsync();
        var now = s.Clock.GetUtcNow();
        const string secret = "ghp_PatSyncLinkTest0000000000000Zq7Xk9Wv";
        const string other = "ghp_PatSyncLinkTest0000000000000Ab3Cd5Ef";
        s.Stub.Put(GitHubAppStub.Alert(1, secret, now.AddDays(-2), now.AddDays(-2)));
        s.Stub.Put(GitHubAppStub.Alert(2, other, now.AddDays(-2), now.AddDays(-2)));
        await s.Get<AlertPuller>().PullAsync(Org);
        await using (var db = s.Db())
        {
            // The leaks' owners, as an analyst assigned them.
            var dev1 = await db.People.SingleAsync(p => p.Email == "dev1@acme.test");
            var dev2 = await db.People.SingleAsync(p => p.Email == "dev2@acme.test");
            var tokens = await db.Tokens.ToListAsync();
            tokens.Single(t => t.Mask.EndsWith(secret[^4..], StringComparison.Ordinal)).OwnerId = dev1.Id;
            tokens.Single(t => t.Mask.EndsWith(other[^4..], StringComparison.Ordinal)).OwnerId = dev2.Id;
            await db.SaveChangesAsync();
        }
        // dev1's own token; a token of another person that happens to end alike is not theirs; a wrong ending links nothing.
        s.Stub.PutCredentialAuthorization(Org, GitHubAppStub.CredentialAuthorization(71, "Dev1", secret[^8..], ["repo", "read:org"], now.AddDays(-100)));
        s.Stub.PutCredentialAuthorization(Org, GitHubAppStub.CredentialAuthorization(72, "dev3", other[^8..], ["repo"], now.AddDays(-100)));
        s.Stub.PutCredentialAuthorization(Org, GitHubAppStub.CredentialAuthorization(73, "dev2", "00000000", ["repo"], now.AddDays(-100)));

        var synced = Assert.Single(await s.Get<GitHubOrgSync>().SyncAsync());
        Assert.Equal((true, 3, 1), (synced.CredentialAuthorizations.SamlSso, synced.CredentialAuthorizations.Listed, synced.CredentialAuthorizations.Linked));
        int leak;
        await using (var db = s.Db())
        {
            var link = await db.GitHubCredentialAuthorizations.SingleAsync(a => a.TokenId != null);
            Assert.Equal(71, link.CredentialId);
            var token = await db.Tokens.Include(t => t.Exposures).SingleAsync(t => t.Id == link.TokenId);
            leak = token.Id;
            Assert.Equal(("repo,read:org", WriteCapability.Write, 1), (token.Scopes, token.WriteCapability, token.Exposures.Count));
            Assert.Contains(Org, token.Organizations, StringComparison.Ordinal);
        }
        var page = await s.Get<TokenInventory>().ListAsync(new TokenFilter(), 1, 50);
        Assert.Equal(TokenSources.Both, page.Items.Single(r => r.Id == leak).Source);
        Assert.Equal(TokenSources.Leak, page.Items.Single(r => r.Id != leak).Source);

        // The authorisation withdrawn: the link and the leak's exposure stay; nothing of the last eight is stored.
        s.Stub.ClearCredentialAuthorizations(Org);
        await s.Get<GitHubOrgSync>().SyncAsync();
        await using (var db = s.Db())
        {
            Assert.NotNull((await db.GitHubCredentialAuthorizations.SingleAsync(a => a.CredentialId == 71)).GoneAt);
            Assert.Equal(1, await db.Exposures.CountAsync(e => e.TokenId == leak));
        }
        foreach (var file in Directory.EnumerateFiles(s.Store.Directory, "governance.db*"))
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(secret[^8..], text, StringComparison.Ordinal);
            Assert.DoesNotContain(other[^8..], text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(secret[^8..], string.Join('\n', s.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_github_runs_as_a_child_process_prints_what_changed_and_exits_2_when_GitHub_refuses_the_app()
    {
        await using var stub = await GitHubAppStub.StartAsync();
        await using var store = await new TestStore().MigrateAsync();
        for (var n = 1; n <= 3; n++) stub.PutPat(Org, GitHubAppStub.Pat(30_000 + n, 700 + n, "dev1", $"cli {n}", n == 1 ? Write : Read));
        string[] Args(params string[] verb) => [.. verb, .. stub.Settings(Path.Combine(store.KeyDirectory, "github-app.pem")).Select(x => $"--{x.Key}={x.Value}")];

        var first = await CliRunner.RunAsync(store, Args("sync", "github", "--org", Org, "--json"));
        Assert.True(first.ExitCode == 0, first.Error);
        using (var json = JsonDocument.Parse(first.Out))
        {
            var org = json.RootElement.GetProperty("organizations")[0];
            Assert.Equal((Org, 3), (org.GetProperty("organization").GetString(), org.GetProperty("new").GetInt32()));
            Assert.Equal(3, org.GetProperty("tokens").GetProperty("changes").GetArrayLength());
        }
        stub.RemovePat(Org, 702);
        var second = await CliRunner.RunAsync(store, Args("sync", "github"));
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("0 new, 0 changed, 1 gone", second.Out, StringComparison.Ordinal);
        Assert.Contains("revoked  github_pat #702 cli 2", second.Out, StringComparison.Ordinal);

        // Another app's key (written after the settings, which write the stub's own): GitHub cannot verify the JWT.
        var refusedArgs = Args("sync", "github");
        using (var otherKey = System.Security.Cryptography.RSA.Create(2048))
            await File.WriteAllTextAsync(Path.Combine(store.KeyDirectory, "github-app.pem"), otherKey.ExportRSAPrivateKeyPem());
        var refused = await CliRunner.RunAsync(store, refusedArgs);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("A JSON web token could not be decoded", refused.Error, StringComparison.Ordinal);
        await using var db = store.Factory.CreateDbContext();
        Assert.Equal(3, await db.Tokens.CountAsync());
    }
}
