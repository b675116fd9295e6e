using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Workflows;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The triage endpoints through the real HTTP pipeline, with sessions and API keys: roles, problem+json refusals, metrics at once.</summary>
public class ExposuresApiTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<int> OpenExposureOfAsync(Token token)
    {
        await using var db = app.Db();
        return await db.Exposures.Where(e => e.TokenId == token.Id && e.State == ExposureState.Open).Select(e => e.Id).SingleAsync();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string text)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(text, (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owners_approvers_and_auditors_get_403_on_every_triage_endpoint_and_nothing_changes()
    {
        var token = await app.TokenAsync(app.Owner);
        var exposure = await OpenExposureOfAsync(token);
        foreach (var person in new[] { app.Owner, app.Approver, app.Auditor })
        {
            var client = await app.ClientAsync(person);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/exposures")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/exposures/{exposure}/dismiss", new { reason = "false_positive" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/exposures/dismiss", new { ids = new[] { exposure }, reason = "false_positive" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/exposures/{exposure}/reopen", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/exposures/{exposure}/notes", new { text = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"/api/tokens/{token.Id}/owner", new { email = person.Email })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiKeyClientAsync(app.Owner)).GetAsync("/api/exposures")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Factory.Client().GetAsync("/api/exposures")).StatusCode);
        await using var db = app.Db();
        Assert.Equal(ExposureState.Open, (await db.Exposures.SingleAsync(e => e.Id == exposure)).State);
    }

    [Fact]
    public async Task An_analysts_api_key_lists_exposures_with_masks_owners_and_sla_deadlines()
    {
        var token = await app.TokenAsync(app.Owner);
        var exposure = await OpenExposureOfAsync(token);
        var client = await app.ApiKeyClientAsync(app.Analyst);

        var body = await JsonAsync(await client.GetAsync("/api/exposures?state=Open&severity=High&platform=HuggingFace&pageSize=500"));

        var item = body.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == exposure);
        Assert.Equal(token.Id, item.GetProperty("tokenId").GetInt32());
        Assert.Equal(token.Mask, item.GetProperty("tokenMask").GetString());
        Assert.Equal("Open", item.GetProperty("state").GetString());
        Assert.Equal("High", item.GetProperty("severity").GetString());
        Assert.Equal(app.Owner.Email, item.GetProperty("owner").GetString());
        var detected = item.GetProperty("detectedAt").GetDateTimeOffset();
        Assert.Equal(detected.AddHours(72), item.GetProperty("slaDeadline").GetDateTimeOffset());
        Assert.DoesNotContain(body.GetProperty("items").EnumerateArray(), i => i.GetProperty("state").GetString() != "Open");
        await AssertProblemAsync(await client.GetAsync("/api/exposures?state=Gone"), HttpStatusCode.BadRequest, "unknown value");
    }

    [Fact]
    public async Task Dismiss_reopen_and_notes_answer_with_clear_problems_and_change_the_metrics_at_once()
    {
        var token = await app.TokenAsync(app.Owner);
        var exposure = await OpenExposureOfAsync(token);
        var analyst = await app.ClientAsync(app.Analyst);
        var before = await JsonAsync(await analyst.GetAsync("/api/metrics"));

        await AssertProblemAsync(await analyst.PostAsJsonAsync($"/api/exposures/{exposure}/dismiss", new { reason = "risk_accepted" }),
            HttpStatusCode.BadRequest, "needs an expiry date");
        await AssertProblemAsync(await analyst.PostAsJsonAsync($"/api/exposures/{exposure}/dismiss", new { reason = "risk_accepted", until = "next week" }),
            HttpStatusCode.BadRequest, "until must be an ISO-8601 instant");
        await AssertProblemAsync(await analyst.PostAsJsonAsync("/api/exposures/999999/dismiss", new { reason = "false_positive" }),
            HttpStatusCode.NotFound, "No exposure 999999");

        var until = DateTimeOffset.UtcNow.AddDays(14);
        var dismissed = await analyst.PostAsJsonAsync($"/api/exposures/{exposure}/dismiss", new { reason = "risk_accepted", until, note = "Migration in progress." });
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal(1, (await JsonAsync(dismissed)).GetProperty("dismissed").GetInt32());
        var after = await JsonAsync(await analyst.GetAsync("/api/metrics"));
        Assert.Equal(Figure(before, "exposures", "dismissed") + 1, Figure(after, "exposures", "dismissed"));
        Assert.Equal(Figure(before, "exposures", "open") - 1, Figure(after, "exposures", "open"));

        await AssertProblemAsync(await analyst.PostAsJsonAsync($"/api/exposures/{exposure}/dismiss", new { reason = "false_positive" }),
            HttpStatusCode.Conflict, "already dismissed");
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync($"/api/exposures/{exposure}/notes", new { text = "Owner asked for two weeks." })).StatusCode);
        await AssertProblemAsync(await analyst.PostAsJsonAsync($"/api/exposures/{exposure}/notes", new { text = " " }), HttpStatusCode.BadRequest, "empty");

        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsync($"/api/exposures/{exposure}/reopen", null)).StatusCode);
        await AssertProblemAsync(await analyst.PostAsync($"/api/exposures/{exposure}/reopen", null), HttpStatusCode.Conflict, "Only a dismissed exposure");
        Assert.Equal(Figure(before, "exposures", "open"), Figure(await JsonAsync(await analyst.GetAsync("/api/metrics")), "exposures", "open"));
    }

    [Fact]
    public async Task Bulk_dismissal_takes_ids_and_is_all_or_nothing()
    {
        var first = await OpenExposureOfAsync(await app.TokenAsync(app.Owner));
        var second = await OpenExposureOfAsync(await app.TokenAsync(app.Other));
        var admin = await app.ClientAsync(await AdminAsync());

        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/exposures/dismiss", new { reason = "used_in_tests" }), HttpStatusCode.BadRequest, "ids");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/exposures/dismiss", new { ids = new[] { first, 999999 }, reason = "used_in_tests" }),
            HttpStatusCode.NotFound, "999999");
        await using (var db = app.Db())
            Assert.Equal(ExposureState.Open, (await db.Exposures.SingleAsync(e => e.Id == first)).State);

        var response = await admin.PostAsJsonAsync("/api/exposures/dismiss", new { ids = new[] { first, second }, reason = "used_in_tests", note = "Fixtures." });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await JsonAsync(response)).GetProperty("dismissed").GetInt32());
        await using var check = app.Db();
        Assert.Equal(2, await check.Exposures.CountAsync(e => (e.Id == first || e.Id == second) && e.State == ExposureState.Dismissed && e.DismissalReason == "used_in_tests"));
    }

    [Fact]
    public async Task Putting_a_tokens_owner_raises_owner_coverage_at_once_and_refuses_strangers()
    {
        var token = await app.TokenAsync(null);
        var analyst = await app.ApiKeyClientAsync(app.Analyst);
        var before = Figure(await JsonAsync(await analyst.GetAsync("/api/metrics")), "ownerCoverage", "owned");

        await AssertProblemAsync(await analyst.PutAsJsonAsync($"/api/tokens/{token.Id}/owner", new { email = "stranger@elsewhere.test" }),
            HttpStatusCode.BadRequest, "active person of the directory");
        await AssertProblemAsync(await analyst.PutAsJsonAsync("/api/tokens/999999/owner", new { email = app.Other.Email }), HttpStatusCode.NotFound, "No token");
        var response = await analyst.PutAsJsonAsync($"/api/tokens/{token.Id}/owner", new { email = app.Other.Email });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, Figure(await JsonAsync(await analyst.GetAsync("/api/metrics")), "ownerCoverage", "owned"));
        await using var db = app.Db();
        Assert.Equal(app.Other.Id, (await db.Tokens.SingleAsync(t => t.Id == token.Id)).OwnerId);
        Assert.True(await db.Notifications.AnyAsync(n => n.PersonId == app.Other.Id && n.Kind == "owner.assigned"));
    }

    [Fact]
    public async Task The_exposures_page_shows_organisation_charts_to_reading_roles_only()
    {
        await app.TokenAsync(app.Owner);
        await app.TokenAsync(app.Other);
        int ownersOpen;
        await using (var db = app.Db())
            ownersOpen = await db.Exposures.CountAsync(e => e.State == ExposureState.Open && e.Token!.OwnerId == app.Owner.Id);
        var asOwner = await (await app.ClientAsync(app.Owner)).GetStringAsync("/exposures");
        var asAuditor = await (await app.ClientAsync(app.Auditor)).GetStringAsync("/exposures");

        Assert.DoesNotContain("data-testid=\"exposure-charts\"", asOwner, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"own-exposures-only\"", asOwner, StringComparison.Ordinal);
        Assert.Contains($"The exposures of the tokens you own: {ownersOpen} open", asOwner, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Other.Email, asOwner, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"exposure-charts\"", asAuditor, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"bulk-actions\"", asAuditor, StringComparison.Ordinal);
    }

    private static int Figure(JsonElement metrics, string group, string name) => metrics.GetProperty(group).GetProperty(name).GetInt32();

    private async Task<Person> AdminAsync()
    {
        await using var db = app.Db();
        return await db.People.SingleAsync(p => p.Email == "admin@acme.test");
    }
}
