using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The fixed write-scope endpoints of docs/interfaces.md through the real HTTP pipeline, with cookies and API keys.</summary>
public class WriteScopeApiTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static Task<HttpResponseMessage> RequestAsync(HttpClient client, int tokenId, int? days = 60) =>
        client.PostAsJsonAsync("/api/write-scope-requests", new { tokenId, justification = "Publishes the nightly model to the hub.", days });

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, int id, bool approve, string comment = "Scoped to the release pipeline.") =>
        client.PostAsJsonAsync($"/api/write-scope-requests/{id}/decision", new { approve, comment });

    [Fact]
    public async Task An_owner_asks_gets_201_with_id_and_status_and_an_approver_decides()
    {
        var token = await app.TokenAsync(app.Owner);
        var owner = await app.ClientAsync(app.Owner);

        var created = await RequestAsync(owner, token.Id);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal("Pending", body.GetProperty("status").GetString());
        Assert.Equal("Declare", body.GetProperty("kind").GetString());
        Assert.Equal(60, body.GetProperty("days").GetInt32());
        Assert.Equal($"/api/write-scope-requests/{id}", created.Headers.Location!.OriginalString);

        var approver = await app.ClientAsync(app.Approver);
        var pending = await JsonAsync(await approver.GetAsync("/api/write-scope-requests?view=pending"));
        Assert.Contains(pending.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetInt32() == id);

        var decided = await DecideAsync(approver, id, approve: true);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var decision = await JsonAsync(decided);
        Assert.Equal("Approved", decision.GetProperty("status").GetString());
        Assert.True(decision.GetProperty("grantExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(59));

        var mine = await JsonAsync(await owner.GetAsync("/api/my/tokens"));
        var row = mine.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == token.Id);
        Assert.True(row.GetProperty("justified").GetBoolean());
    }

    [Fact]
    public async Task Deciding_ones_own_request_is_403()
    {
        var token = await app.TokenAsync(app.Approver);
        var approver = await app.ClientAsync(app.Approver);
        var id = (await JsonAsync(await RequestAsync(approver, token.Id))).GetProperty("id").GetInt32();

        var response = await DecideAsync(approver, id, approve: true);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("own request", (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deciding_a_request_for_a_token_one_owns_is_403()
    {
        var token = await app.TokenAsync(app.Owner);
        var id = (await JsonAsync(await RequestAsync(await app.ClientAsync(app.Owner), token.Id))).GetProperty("id").GetInt32();
        await using (var db = app.Db())
            await db.Tokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.OwnerId, app.Approver2.Id));

        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(await app.ClientAsync(app.Approver2), id, true)).StatusCode);
    }

    [Fact]
    public async Task A_second_decision_is_409_and_a_person_without_the_role_gets_403()
    {
        var token = await app.TokenAsync(app.Owner);
        var owner = await app.ClientAsync(app.Owner);
        var id = (await JsonAsync(await RequestAsync(owner, token.Id))).GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(owner, id, true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await app.ClientAsync(app.Approver), id, approve: false, "Too broad.")).StatusCode);
        var again = await DecideAsync(await app.ClientAsync(app.Approver2), id, approve: true);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already decided", (await JsonAsync(again)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await DecideAsync(await app.ClientAsync(app.Approver), id, approve: true)).StatusCode);
    }

    [Fact]
    public async Task Two_approvers_deciding_at_once_over_http_one_gets_200_and_the_other_409()
    {
        var token = await app.TokenAsync(app.Owner);
        var id = (await JsonAsync(await RequestAsync(await app.ClientAsync(app.Owner), token.Id))).GetProperty("id").GetInt32();
        var first = await app.ClientAsync(app.Approver);
        var second = await app.ClientAsync(app.Approver2);

        var responses = await Task.WhenAll(DecideAsync(first, id, true), DecideAsync(second, id, false, "No."));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
    }

    [Fact]
    public async Task The_endpoints_work_with_an_api_key_and_refuse_the_anonymous()
    {
        var token = await app.TokenAsync(app.Owner);
        var owner = await app.ApiKeyClientAsync(app.Owner);
        var created = await RequestAsync(owner, token.Id);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.Unauthorized, (await RequestAsync(app.Factory.Client(), token.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DecideAsync(app.Factory.Client(), id, true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(owner, id, true)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await app.ApiKeyClientAsync(app.Approver), id, true)).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_are_400_and_someone_elses_or_a_missing_token_404()
    {
        var token = await app.TokenAsync(app.Owner);
        var owner = await app.ClientAsync(app.Owner);
        var other = await app.ClientAsync(app.Other);

        Assert.Equal(HttpStatusCode.NotFound, (await RequestAsync(other, token.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await RequestAsync(owner, 987_654)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await RequestAsync(owner, token.Id, days: 5000)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync("/api/write-scope-requests", new { tokenId = token.Id, justification = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync("/api/write-scope-requests", new { justification = "no token" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync("/api/write-scope-requests", new { tokenId = token.Id, justification = "x", kind = "Everything" })).StatusCode);

        var id = (await JsonAsync(await RequestAsync(owner, token.Id))).GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.Conflict, (await RequestAsync(owner, token.Id)).StatusCode);
        var approver = await app.ClientAsync(app.Approver);
        Assert.Equal(HttpStatusCode.BadRequest, (await approver.PostAsJsonAsync($"/api/write-scope-requests/{id}/decision", new { comment = "no verdict" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DecideAsync(approver, id, approve: false, comment: "")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DecideAsync(approver, 987_654, true)).StatusCode);
    }

    [Fact]
    public async Task Requests_are_visible_to_their_requester_and_to_approvers_only()
    {
        var token = await app.TokenAsync(app.Owner);
        var owner = await app.ClientAsync(app.Owner);
        var id = (await JsonAsync(await RequestAsync(owner, token.Id))).GetProperty("id").GetInt32();
        var other = await app.ClientAsync(app.Other);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/write-scope-requests/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/write-scope-requests/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ClientAsync(app.Auditor)).GetAsync($"/api/write-scope-requests/{id}")).StatusCode);
        foreach (var view in new[] { "", "?view=mine", "?view=pending", "?view=history" })
        {
            var items = (await JsonAsync(await other.GetAsync("/api/write-scope-requests" + view))).GetProperty("items");
            Assert.DoesNotContain(items.EnumerateArray(), r => r.GetProperty("id").GetInt32() == id);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/write-scope-requests/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsync($"/api/write-scope-requests/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task The_api_description_lists_the_write_scope_endpoints()
    {
        var paths = (await JsonAsync(await app.Factory.Client().GetAsync("/openapi/v1.json"))).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/write-scope-requests", out var create));
        Assert.True(create.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty("/api/write-scope-requests/{id}/decision", out _));
        Assert.True(paths.TryGetProperty("/api/my/tokens", out _));
    }
}
