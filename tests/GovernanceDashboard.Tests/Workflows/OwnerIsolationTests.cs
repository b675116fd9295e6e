using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Attestations;
using GovernanceDashboard.Workflows.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>An owner never reaches another person's tokens, tasks, hand-overs or messages, whatever ids they put in URLs or bodies.</summary>
public class OwnerIsolationTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<Token> ReloadAsync(Token token)
    {
        await using var db = app.Db();
        return await db.Tokens.AsNoTracking().SingleAsync(t => t.Id == token.Id);
    }

    [Fact]
    public async Task My_tokens_lists_only_the_callers_own_and_suggested_tokens()
    {
        var mine = await app.TokenAsync(app.Owner);
        var suggested = await app.TokenAsync(null, suggested: app.Owner);
        var theirs = await app.TokenAsync(app.Other);
        var client = await app.ClientAsync(app.Owner);

        var ids = (await JsonAsync(await client.GetAsync("/api/my/tokens"))).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(mine.Id, ids);
        Assert.Contains(suggested.Id, ids);
        Assert.DoesNotContain(theirs.Id, ids);

        // The inventory API keeps an owner to their own tokens too, even when asked for someone else's.
        var inventory = await JsonAsync(await client.GetAsync($"/api/tokens?owner={Uri.EscapeDataString(app.Other.Email)}&pageSize=500"));
        Assert.Empty(inventory.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Changing_the_token_id_in_the_url_reaches_nothing_and_changes_nothing()
    {
        var theirs = await app.TokenAsync(app.Other, suggested: app.Owner);
        await using (var db = app.Db())
            await db.Tokens.Where(t => t.Id == theirs.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.SuggestedOwnerId, (int?)null));
        var mine = await app.TokenAsync(app.Owner);
        var client = await app.ClientAsync(app.Owner);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/my/tokens/{mine.Id}/exposures")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/my/tokens/{theirs.Id}/exposures")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/my/tokens/{theirs.Id}/revocation", new { kind = "Revoked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/my/tokens/{theirs.Id}/transfer", new { toEmail = app.Owner.Email })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/my/tokens/{theirs.Id}/suggestion", new { accept = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/write-scope-requests", new { tokenId = theirs.Id, justification = "mine now", days = 30 })).StatusCode);

        var stored = await ReloadAsync(theirs);
        Assert.Equal(app.Other.Id, stored.OwnerId);
        Assert.Null(stored.RevokedAt);
        await using var check = app.Db();
        Assert.False(await check.OwnershipTransfers.AnyAsync(x => x.TokenId == theirs.Id));
        Assert.False(await check.WriteScopeRequests.AnyAsync(r => r.TokenId == theirs.Id));
    }

    [Fact]
    public async Task An_owner_records_a_revocation_of_their_own_token_and_its_exposure_closes()
    {
        var mine = await app.TokenAsync(app.Owner);
        var client = await app.ClientAsync(app.Owner);
        var at = DateTimeOffset.UtcNow.AddHours(-1);

        await JsonAsync(await client.PostAsJsonAsync($"/api/my/tokens/{mine.Id}/revocation", new { kind = "Rotated", at = at.ToString("O") }));

        var exposures = (await JsonAsync(await client.GetAsync($"/api/my/tokens/{mine.Id}/exposures"))).GetProperty("items");
        Assert.Equal("Remediated", exposures[0].GetProperty("state").GetString());
        Assert.Equal(TokenStatus.Revoked, (await ReloadAsync(mine)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/my/tokens/{mine.Id}/revocation", new { kind = "Burnt" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/my/tokens/{mine.Id}/revocation", new { kind = "Revoked", at = "yesterday" })).StatusCode);
    }

    [Fact]
    public async Task A_hand_over_is_answered_only_by_its_receiver()
    {
        var mine = await app.TokenAsync(app.Owner);
        var owner = await app.ClientAsync(app.Owner);
        var offered = await owner.PostAsJsonAsync($"/api/my/tokens/{mine.Id}/transfer", new { toEmail = app.Analyst.Email, message = "Yours now." });
        Assert.Equal(HttpStatusCode.Created, offered.StatusCode);
        var transferId = (await JsonAsync(offered)).GetProperty("id").GetInt32();

        var other = await app.ClientAsync(app.Other);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/my/transfers/{transferId}/answer", new { accept = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/my/transfers/{transferId}/cancel", null)).StatusCode);
        Assert.Equal(0, (await JsonAsync(await other.GetAsync("/api/my/transfers"))).GetProperty("incoming").GetArrayLength());
        Assert.Equal(app.Owner.Id, (await ReloadAsync(mine)).OwnerId);

        var analyst = await app.ClientAsync(app.Analyst);
        Assert.Equal(1, (await JsonAsync(await analyst.GetAsync("/api/my/transfers"))).GetProperty("incoming").GetArrayLength());
        await JsonAsync(await analyst.PostAsJsonAsync($"/api/my/transfers/{transferId}/answer", new { accept = true }));
        Assert.Equal(app.Analyst.Id, (await ReloadAsync(mine)).OwnerId);
    }

    [Fact]
    public async Task Attestation_tasks_and_messages_of_another_person_are_out_of_reach()
    {
        var mine = await app.TokenAsync(app.Owner);
        var theirs = await app.TokenAsync(app.Other);
        var campaigns = app.Factory.Services.GetRequiredService<AttestationService>();
        var analyst = new Actor(app.Analyst.Id, app.Analyst.Email, app.Analyst.Roles);
        var campaign = (await campaigns.OpenCampaignAsync(analyst, "Isolation check", CampaignScope.AllActive, DateTimeOffset.UtcNow.AddDays(7))).Value!;
        int theirTask, theirMessage;
        await using (var db = app.Db())
        {
            theirTask = await db.AttestationTasks.Where(t => t.CampaignId == campaign.Id && t.TokenId == theirs.Id).Select(t => t.Id).SingleAsync();
            theirMessage = (int)await db.Notifications.Where(n => n.PersonId == app.Other.Id).Select(n => n.Id).FirstAsync();
        }
        var client = await app.ClientAsync(app.Owner);

        var tasks = (await JsonAsync(await client.GetAsync($"/api/attestations/campaigns/{campaign.Id}/tasks"))).GetProperty("items");
        Assert.Contains(tasks.EnumerateArray(), t => t.GetProperty("tokenId").GetInt32() == mine.Id);
        Assert.All(tasks.EnumerateArray(), t => Assert.Equal(app.Owner.Email, t.GetProperty("owner").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/attestations/tasks/{theirTask}/answer", new { answer = "Revoke" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/my/notifications/{theirMessage}/read", null)).StatusCode);
        Assert.DoesNotContain((await JsonAsync(await client.GetAsync("/api/my/notifications"))).GetProperty("items").EnumerateArray(),
            n => n.GetProperty("id").GetInt64() == theirMessage);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/attestations/campaigns",
            new { name = "mine", scope = "AllActive", deadline = DateTimeOffset.UtcNow.AddDays(3).ToString("O") })).StatusCode);
        await using var check = app.Db();
        Assert.Equal(AttestationAnswer.None, (await check.AttestationTasks.SingleAsync(t => t.Id == theirTask)).Answer);
    }

    [Fact]
    public async Task The_my_tokens_page_renders_the_callers_tokens_and_not_anyone_elses()
    {
        var mine = await app.TokenAsync(app.Owner);
        var theirs = await app.TokenAsync(app.Other);
        var client = await app.ClientAsync(app.Owner);

        // The page is prerendered on the server, so its HTML holds what the person can see (HTML-encoded: "…" is an entity).
        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/my-tokens"));

        Assert.Contains(mine.Mask, html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Mask, html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.Mask, WebUtility.HtmlDecode(await client.GetStringAsync($"/my-tokens?token={theirs.Id}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_trail_is_for_admins_and_auditors_and_exports_csv()
    {
        var mine = await app.TokenAsync(app.Owner);
        await JsonAsync(await (await app.ClientAsync(app.Owner)).PostAsJsonAsync("/api/write-scope-requests", new { tokenId = mine.Id, justification = "=HYPERLINK(\"x\")", days = 30 }));

        var owner = await app.ClientAsync(app.Owner);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.GetAsync("/api/audit/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync(app.Analyst)).GetAsync("/api/audit/events.csv")).StatusCode);
        var page = await owner.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/denied", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var auditor = await app.ClientAsync(app.Auditor);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/audit")).StatusCode);
        var events = await JsonAsync(await auditor.GetAsync($"/api/audit/events?token={mine.Id}&kind=writescope"));
        var single = Assert.Single(events.GetProperty("items").EnumerateArray());
        Assert.Equal("writescope.requested", single.GetProperty("kind").GetString());
        Assert.Equal(app.Owner.Email, single.GetProperty("actor").GetString());
        var byPerson = await JsonAsync(await auditor.GetAsync($"/api/audit/events?person={Uri.EscapeDataString(app.Owner.Email)}&from=2000-01-01T00:00:00Z"));
        Assert.All(byPerson.GetProperty("items").EnumerateArray(), e => Assert.Contains(app.Owner.Email, e.GetRawText(), StringComparison.Ordinal));

        var csv = await auditor.GetAsync($"/api/audit/events.csv?token={mine.Id}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("id,at,actor,kind,subject,before,after,hash\r\n", text, StringComparison.Ordinal);
        Assert.Contains("writescope.requested", text, StringComparison.Ordinal);
        Assert.Contains($"token:{mine.Id}", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/audit/events?from=last-week")).StatusCode);
    }
}
