using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Platforms;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>POST /api/exposures/{id}/revoke, /api/exposures/revoke and /api/tokens/{id}/validate over HTTP on the real app.</summary>
public class RemediationApiTests : IAsyncLifetime
{
    private PlatformStub _stub = default!;
    private AppFactory _app = default!;

    public async Task InitializeAsync()
    {
        _stub = await PlatformStub.StartAsync();
        _app = new AppFactory(extra: new()
        {
            ["HuggingFace:BaseUrl"] = _stub.BaseUrl, ["GitHub:ApiBaseUrl"] = _stub.BaseUrl, ["Remediation:Validation:Enabled"] = "true",
            ["Remediation:Http:Retries"] = "0",
        });
        _ = _app.Server;
        await Seed.PersonAsync(_app.Services, "analyst", Roles.Analyst);
        await Seed.PersonAsync(_app.Services, "auditor", Roles.Auditor);
        await Seed.PersonAsync(_app.Services, "owner");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public async Task Revoke_answers_202_then_409_once_closed_and_422_with_the_manual_path()
    {
        var client = await _app.SignedInClientAsync("analyst@acme.test");
        var open = (await Seed.ExposedAsync(_app.Services, TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(1)]))[0];
        var masked = (await Seed.ExposedAsync(_app.Services, TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [null]))[0];

        var queued = await client.PostAsync($"/api/exposures/{open.Id}/revoke", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        using (var body = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()))
            Assert.Equal("Queued", body.RootElement.GetProperty("outcome").GetString());

        // The dashboard's worker sends it; then the exposure is closed.
        await Seed.EventuallyAsync(async () =>
        {
            await using var db = Db();
            return await db.Exposures.AnyAsync(e => e.Id == open.Id && e.State == ExposureState.Remediated);
        });
        Assert.Single(_stub.Requests);
        var closed = await client.PostAsync($"/api/exposures/{open.Id}/revoke", null);
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);

        var refused = await client.PostAsync($"/api/exposures/{masked.Id}/revoke", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("No escrowed value", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(RevocationSupport.GitHubTokenSettings, problem.RootElement.GetProperty("manualUrl").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/exposures/999999/revoke", null)).StatusCode);
    }

    [Fact]
    public async Task Bulk_revoke_gives_each_id_its_outcome_and_sends_a_token_once()
    {
        var client = await _app.SignedInClientAsync("analyst@acme.test");
        var exposures = await Seed.ExposedAsync(_app.Services, TokenPlatform.GitHub, TokenKind.GitHubClassicPat,
            [RemediationHarness.GhSecret(1), RemediationHarness.GhSecret(2)]);
        exposures.AddRange(await Seed.ExposedAsync(_app.Services, TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken, ["ghs_InstallationTokenAbCdEfGhIjKlMnOp"]));
        var ids = exposures.Select(e => e.Id).Append(exposures[0].Id).Append(999_999).ToArray();

        var response = await client.PostAsJsonAsync("/api/exposures/revoke", new { ids });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = body.RootElement.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("id").GetInt32(), i.GetProperty("status").GetInt32())).ToList();
        Assert.Equal([(exposures[0].Id, 202), (exposures[1].Id, 202), (exposures[2].Id, 422), (999_999, 404)], items);
        Assert.Equal(2, body.RootElement.GetProperty("queued").GetInt32());
        await Seed.EventuallyAsync(async () =>
        {
            await using var db = Db();
            return await db.RevocationRequests.CountAsync(r => r.State == RevocationState.Sent) == 2;
        });
        Assert.Equal(2, _stub.Requests.SelectMany(r => r.Credentials()).Count());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/exposures/revoke", new { ids = Array.Empty<int>() })).StatusCode);
    }

    [Theory]
    [InlineData("owner@acme.test")]
    [InlineData("auditor@acme.test")]
    public async Task Owners_and_auditors_may_not_revoke_or_validate(string email)
    {
        var client = await _app.SignedInClientAsync(email);
        var exposure = (await Seed.ExposedAsync(_app.Services, TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(3)]))[0];

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/exposures/{exposure.Id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/exposures/revoke", new { ids = new[] { exposure.Id } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/tokens/{exposure.TokenId}/validate", null)).StatusCode);
        var anonymous = _app.Client();
        Assert.NotEqual(HttpStatusCode.Accepted, (await anonymous.PostAsync($"/api/exposures/{exposure.Id}/revoke", null)).StatusCode);
        await using var db = Db();
        Assert.Empty(db.RevocationRequests);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task Check_now_enriches_a_valid_token_and_an_invalid_answer_remediates_it()
    {
        var client = await _app.SignedInClientAsync("analyst@acme.test");
        var secret = RemediationHarness.HfSecret(4);
        var exposure = (await Seed.ExposedAsync(_app.Services, TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [secret]))[0];
        _stub.Answer = _ => new StubAnswer(200, """{"name":"jdoe","orgs":[{"name":"acme-ai","roleInOrg":"write"}],"auth":{"accessToken":{"displayName":"ci","role":"write"}}}""");

        var valid = await client.PostAsync($"/api/tokens/{exposure.TokenId}/validate", null);

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal($"Bearer {secret}", Assert.Single(_stub.Requests).Authorization);
        await using (var db = Db())
        {
            var token = await db.Tokens.SingleAsync(t => t.Id == exposure.TokenId);
            Assert.Equal(("jdoe", "acme-ai:write", "write", WriteCapability.Write), (token.Account, token.Organizations, token.Role, token.WriteCapability));
            var audit = await db.AuditEvents.SingleAsync(a => a.Kind == "token.validated");
            Assert.DoesNotContain(secret, audit.After, StringComparison.Ordinal);
        }

        _stub.Answer = _ => new StubAnswer(401);
        var before = DateTimeOffset.UtcNow;
        var invalid = await client.PostAsync($"/api/tokens/{exposure.TokenId}/validate", null);
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        await using (var db = Db())
        {
            var closed = await db.Exposures.Include(e => e.Token).SingleAsync(e => e.Id == exposure.Id);
            Assert.Equal((ExposureState.Remediated, "validation:huggingface", (string?)null), (closed.State, closed.RemediatedBy, closed.Escrow));
            Assert.InRange(closed.RemediatedAt!.Value, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
            Assert.Equal(TokenStatus.Revoked, closed.Token!.Status);
        }
        // Nothing left to check with: the escrow went with the open exposure.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync($"/api/tokens/{exposure.TokenId}/validate", null)).StatusCode);
    }

    private GovernanceDashboard.Data.GovernanceDbContext Db() =>
        _app.Services.GetRequiredService<IDbContextFactory<GovernanceDashboard.Data.GovernanceDbContext>>().CreateDbContext();
}
