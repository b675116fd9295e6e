using System.Text;
using GovernanceDashboard.BlastRadius;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.BlastRadius;

/// <summary>Enrichment against a stub GitHub and Hugging Face on 127.0.0.1, into a real SQLite store: what is read, what is kept when a
/// rate limit cuts a reading short, what is never read, and that the token's value goes nowhere but the platform.</summary>
public class ReachEnrichmentTests
{
    private const string GhSecret = "ghp_ReachTest000001AbCdEfGhIjKlMnOpQrStUv";
    private const string HfSecret = "hf_ReachTest000001AbCdEfGhIjKlMnOpQrSt";

    private static StubAnswer Json(string body, Dictionary<string, string>? headers = null) => new(200, body, headers);

    /// <summary>GitHub with three repositories over two pages, two of them writable, one publishing releases.</summary>
    private static Func<StubRequest, StubAnswer> GitHub(string baseUrl) => r => r.Path switch
    {
        "/user/repos?per_page=100" => Json("""
            [{"full_name":"acme/sdk","stargazers_count":1200,"forks_count":300,"permissions":{"admin":false,"push":true,"pull":true}},
             {"full_name":"other/big","stargazers_count":90000,"forks_count":9000,"permissions":{"admin":false,"push":false,"pull":true}}]
            """, new() { ["Link"] = $"<{baseUrl}/user/repos?per_page=100&page=2>; rel=\"next\", <{baseUrl}/user/repos?per_page=100&page=2>; rel=\"last\"" }),
        "/user/repos?per_page=100&page=2" => Json("""[{"full_name":"jdoe/tool","stargazers_count":1,"forks_count":0,"permissions":{"admin":true,"push":true}}]"""),
        "/repos/acme/sdk/releases?per_page=1" => Json("""[{"id":1,"tag_name":"v1.0.0"}]"""),
        "/repos/jdoe/tool/releases?per_page=1" => Json("[]"),
        _ => new StubAnswer(404, """{"message":"Not Found"}"""),
    };

    [Fact]
    public async Task A_github_token_reaching_three_repositories_over_two_pages_keeps_the_two_it_can_write()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var id = await h.TokenAsync(TokenPlatform.GitHub, GhSecret);
        h.Stub.Answer = GitHub(h.Stub.BaseUrl);

        var result = await h.Service.EnrichNowAsync(RemediationHarness.Analyst, id);

        Assert.Equal((ReachOutcome.Enriched, 2, true), (result.Outcome, result.Writable, result.Complete));
        var rows = await h.ReachAsync(id);
        Assert.Equal(["acme/sdk", "jdoe/tool"], rows.Select(r => r.FullName));
        Assert.Equal((1200L, 300L, true), (rows[0].Stars, rows[0].Forks, rows[0].Publishes));
        Assert.Equal((1L, false, "enrich:github"), (rows[1].Stars, rows[1].Publishes, rows[1].Source));
        // By hand: 2·log10(1 + 10·1,200 + 5·300) + log10(1 + 10·1) = 8.26073 + 1.04139.
        var token = await h.ReadTokenAsync(id);
        Assert.Equal(9.30212, token.BlastRadius, 5);
        Assert.Equal(h.Clock.GetUtcNow().ToUnixTimeMilliseconds(), token.ReachEnrichedAt?.ToUnixTimeMilliseconds());
        Assert.All(h.Stub.Requests, r => Assert.Equal(("GET", $"Bearer {GhSecret}"), (r.Method, r.Authorization)));
        Assert.Equal(4, h.Stub.Requests.Count);
        await using var db = h.Db();
        var audit = await db.AuditEvents.SingleAsync(a => a.Kind == "token.reach");
        Assert.Equal((RemediationHarness.Analyst.Email, $"token:{id}"), (audit.Actor, audit.Subject));
    }

    [Fact]
    public async Task A_second_complete_reading_drops_what_the_token_no_longer_reaches()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var id = await h.TokenAsync(TokenPlatform.GitHub, GhSecret);
        h.Stub.Answer = GitHub(h.Stub.BaseUrl);
        await h.Service.EnrichAsync(id, "test");
        h.Stub.Answer = r => r.Path == "/user/repos?per_page=100"
            ? Json("""[{"full_name":"jdoe/tool","stargazers_count":1,"forks_count":0,"permissions":{"push":true}}]""")
            : Json("[]");

        await h.Service.EnrichAsync(id, "test");

        Assert.Equal(["jdoe/tool"], (await h.ReachAsync(id)).Select(r => r.FullName));
        Assert.Equal(Math.Log10(11), (await h.ReadTokenAsync(id)).BlastRadius, 10);
    }

    [Fact]
    public async Task A_hugging_face_token_with_an_organisation_write_role_reaches_its_models_datasets_and_spaces()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var id = await h.TokenAsync(TokenPlatform.HuggingFace, HfSecret);
        h.Stub.Answer = r => r.Path switch
        {
            "/api/whoami-v2" => Json("""
                {"type":"user","name":"jdoe","orgs":[{"name":"acme-ai","roleInOrg":"write"},{"name":"readers","roleInOrg":"read"}],
                 "auth":{"type":"access_token","accessToken":{"displayName":"ci","role":"write"}}}
                """),
            "/api/models?author=acme-ai" => Json("""[{"id":"acme-ai/llm","downloads":999999,"likes":0}]"""),
            "/api/datasets?author=acme-ai" => Json("""[{"id":"acme-ai/corpus","downloads":99,"likes":0}]"""),
            "/api/spaces?author=acme-ai" => Json("""[{"id":"acme-ai/demo","likes":99}]"""),
            _ when r.Path.Contains("author=jdoe", StringComparison.Ordinal) => Json("[]"),
            _ => new StubAnswer(404),
        };

        var result = await h.Service.EnrichAsync(id, "test");

        Assert.Equal((ReachOutcome.Enriched, 3), (result.Outcome, result.Writable));
        var rows = await h.ReachAsync(id);
        Assert.Equal([("acme-ai/corpus", ArtefactKind.Dataset), ("acme-ai/demo", ArtefactKind.Space), ("acme-ai/llm", ArtefactKind.Model)],
            rows.Select(r => (r.FullName, r.Kind)));
        // By hand: log10(1 + 999,999) + log10(1 + 99) + log10(1 + 10·99) = 6 + 2 + 2.99607.
        Assert.Equal(10.99607, (await h.ReadTokenAsync(id)).BlastRadius, 5);
        // The organisation where the user only reads is not listed at all.
        Assert.DoesNotContain(h.Stub.Requests, r => r.Path.Contains("readers", StringComparison.Ordinal));
        Assert.Equal(7, h.Stub.Requests.Count);
    }

    [Fact]
    public async Task A_429_keeps_what_was_read_leaves_the_token_unmarked_and_pauses_the_platform_until_retry_after()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var id = await h.TokenAsync(TokenPlatform.HuggingFace, HfSecret);
        var limited = true;
        h.Stub.Answer = r => r.Path switch
        {
            "/api/whoami-v2" => Json("""{"name":"jdoe","orgs":[],"auth":{"accessToken":{"role":"write"}}}"""),
            "/api/models?author=jdoe" => Json("""[{"id":"jdoe/llm","downloads":999999}]"""),
            "/api/datasets?author=jdoe" when limited => new StubAnswer(429, null, new Dictionary<string, string> { ["Retry-After"] = "120" }),
            _ => Json("[]"),
        };

        var cut = await h.Service.EnrichAsync(id, "test");

        Assert.Equal((ReachOutcome.RateLimited, false), (cut.Outcome, cut.Complete));
        Assert.Equal(h.Clock.GetUtcNow().AddSeconds(120), cut.RetryAt);
        Assert.Equal(["jdoe/llm"], (await h.ReachAsync(id)).Select(r => r.FullName));
        var token = await h.ReadTokenAsync(id);
        Assert.Null(token.ReachEnrichedAt);
        Assert.Equal(6.0, token.BlastRadius, 10);

        // Until the platform's time has passed nothing is asked of it, neither on demand nor by the periodic pass.
        var calls = h.Stub.Requests.Count;
        Assert.Equal(ReachOutcome.RateLimited, (await h.Service.EnrichAsync(id, "test")).Outcome);
        Assert.Equal(0, await h.Service.RunPassAsync());
        Assert.Equal(calls, h.Stub.Requests.Count);

        limited = false;
        h.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(1, await h.Service.RunPassAsync());
        Assert.NotNull((await h.ReadTokenAsync(id)).ReachEnrichedAt);
    }

    [Fact]
    public async Task A_spent_github_budget_stops_before_the_next_page_with_the_first_kept()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var id = await h.TokenAsync(TokenPlatform.GitHub, GhSecret);
        var reset = h.Clock.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds();
        var answers = GitHub(h.Stub.BaseUrl);
        h.Stub.Answer = r =>
        {
            var answer = answers(r);
            return r.Path == "/user/repos?per_page=100"
                ? answer with { Headers = new Dictionary<string, string>(answer.Headers!) { ["x-ratelimit-remaining"] = "0", ["x-ratelimit-reset"] = $"{reset}" } }
                : answer;
        };

        var result = await h.Service.EnrichAsync(id, "test");

        Assert.Equal(ReachOutcome.RateLimited, result.Outcome);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset), result.RetryAt);
        Assert.Single(h.Stub.Requests);
        Assert.Equal(["acme/sdk"], (await h.ReachAsync(id)).Select(r => r.FullName));
        Assert.Null((await h.ReadTokenAsync(id)).ReachEnrichedAt);
    }

    [Fact]
    public async Task Revoked_escrow_erased_and_read_only_tokens_are_not_enriched()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        h.Stub.Answer = GitHub(h.Stub.BaseUrl);
        var revoked = await h.TokenAsync(TokenPlatform.GitHub, GhSecret, revoked: true);
        var readOnly = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ReachTest000002AbCdEfGhIjKlMnOpQrStUv", WriteCapability.Read);

        Assert.Equal(ReachOutcome.NotEnrichable, (await h.Service.EnrichAsync(revoked, "test")).Outcome);
        Assert.Equal(ReachOutcome.NotEnrichable, (await h.Service.EnrichAsync(readOnly, "test")).Outcome);
        Assert.Equal(0, await h.Service.RunPassAsync());
        Assert.Empty(h.Stub.Requests);
        await using var db = h.Db();
        Assert.Equal(0, await db.TokenReach.CountAsync());
    }

    [Fact]
    public async Task A_next_page_on_another_host_is_not_followed_so_the_token_goes_nowhere_else()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var id = await h.TokenAsync(TokenPlatform.GitHub, GhSecret);
        await using var elsewhere = await PlatformStub.StartAsync();
        elsewhere.Answer = _ => Json("[]");
        // Same loopback, another port: another origin.
        h.Stub.Answer = r => r.Path == "/user/repos?per_page=100"
            ? Json("""[{"full_name":"acme/sdk","permissions":{"push":true}}]""", new() { ["Link"] = $"<{elsewhere.BaseUrl}/user/repos?page=2>; rel=\"next\"" })
            : Json("[]");

        var result = await h.Service.EnrichAsync(id, "test");

        Assert.Equal((ReachOutcome.Partial, false), (result.Outcome, result.Complete));
        Assert.Empty(elsewhere.Requests);
        Assert.Null((await h.ReadTokenAsync(id)).ReachEnrichedAt);
    }

    [Fact]
    public async Task Nothing_of_the_secret_reaches_the_store_in_clear_nor_the_logs()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var gh = await h.TokenAsync(TokenPlatform.GitHub, GhSecret);
        var hf = await h.TokenAsync(TokenPlatform.HuggingFace, HfSecret);
        var github = GitHub(h.Stub.BaseUrl);
        h.Stub.Answer = r => r.Path.StartsWith("/api/", StringComparison.Ordinal)
            ? r.Path == "/api/whoami-v2" ? Json("""{"name":"jdoe","auth":{"accessToken":{"role":"write"}}}""") : new StubAnswer(500)
            : github(r);

        await h.Service.EnrichAsync(gh, "test");
        await h.Service.EnrichAsync(hf, "test");
        await h.Service.RunPassAsync();

        Assert.NotEmpty(await h.ReachAsync(gh));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(h.Store.DatabasePath)!, Path.GetFileName(h.Store.DatabasePath) + "*"))
        {
            var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(GhSecret, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(HfSecret, bytes, StringComparison.Ordinal);
        }
        Assert.NotEmpty(h.Logs.Lines);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(GhSecret, StringComparison.Ordinal) || l.Contains(HfSecret, StringComparison.Ordinal));
    }
}
