using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>POST /api/imports over real HTTP with API keys, as a CI pipeline calls it.</summary>
public class ImportsApiTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", name);

    private static async Task<AppFactory> AppWithPeopleAsync()
    {
        var app = new AppFactory();
        _ = app.Server;
        await using var db = app.Store.Factory.CreateDbContext();
        db.People.AddRange(
            new Domain.Person { Email = "analyst@example.com", DisplayName = "Analyst", Roles = Domain.Roles.Analyst },
            new Domain.Person { Email = "auditor@example.com", DisplayName = "Auditor", Roles = Domain.Roles.Auditor });
        await db.SaveChangesAsync();
        return app;
    }

    private static async Task<HttpClient> ClientWithKeyAsync(AppFactory app, string email)
    {
        var key = await ApiKeys.CreateAsync(app.Store.Factory, email, "ci", "test");
        var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", key!.Key);
        return client;
    }

    private static ByteArrayContent FileContent(string path) =>
        new(File.ReadAllBytes(path)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    [Fact]
    public async Task A_pipeline_imports_with_an_api_key_and_gets_the_summary()
    {
        await using var app = await AppWithPeopleAsync();
        var client = await ClientWithKeyAsync(app, "analyst@example.com");

        var response = await client.PostAsync("/api/imports?scannedAt=2026-11-01T00:00:00Z&fileName=trufflehog.jsonl", FileContent(Sample("trufflehog.jsonl")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = summary.RootElement;
        Assert.Equal("trufflehog", root.GetProperty("format").GetString());
        Assert.Equal(4, root.GetProperty("records").GetInt32());
        Assert.Equal(4, root.GetProperty("tokensNew").GetInt32());
        Assert.Equal(0, root.GetProperty("tokensSeen").GetInt32());
        Assert.Equal(4, root.GetProperty("occurrencesNew").GetInt32());
        Assert.Equal(0, root.GetProperty("duplicates").GetInt32());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("rejected").ValueKind);
        Assert.True(root.GetProperty("importId").GetInt32() > 0);

        await using var db = app.Store.Factory.CreateDbContext();
        var import = await db.Imports.SingleAsync();
        Assert.Equal(("analyst@example.com", "trufflehog.jsonl", DateTimeOffset.Parse("2026-11-01T00:00:00Z")), (import.ImportedBy, import.FileName, import.ScannedAt));

        // The API lists masks only.
        var tokens = await client.GetStringAsync("/api/tokens");
        Assert.Contains("hf_…KLzd", tokens, StringComparison.Ordinal);
        Assert.DoesNotContain("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", tokens, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_file_gets_400_problem_json_naming_the_problem()
    {
        await using var app = await AppWithPeopleAsync();
        var client = await ClientWithKeyAsync(app, "analyst@example.com");
        var response = await client.PostAsync("/api/imports?format=gitleaks", new StringContent("[{\"RuleID\": 3"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("gitleaks", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        await using var db = app.Store.Factory.CreateDbContext();
        // Only the history's line for the rejected file.
        Assert.Equal(GovernanceDashboard.Domain.ImportStatus.Rejected, (await db.Imports.SingleAsync()).Status);
        Assert.Equal(0, await db.Tokens.CountAsync());
    }

    [Fact]
    public async Task Without_a_key_401_and_with_a_read_only_role_403()
    {
        await using var app = await AppWithPeopleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client().PostAsync("/api/imports", FileContent(Sample("trufflehog.jsonl")))).StatusCode);

        var auditor = await ClientWithKeyAsync(app, "auditor@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync("/api/imports", FileContent(Sample("trufflehog.jsonl")))).StatusCode);

        var revoked = await ApiKeys.CreateAsync(app.Store.Factory, "analyst@example.com", "old", "test");
        await ApiKeys.RevokeAsync(app.Store.Factory, revoked!.Id, "test");
        var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", revoked.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/imports", FileContent(Sample("trufflehog.jsonl")))).StatusCode);
        await using var db = app.Store.Factory.CreateDbContext();
        Assert.Equal(0, await db.Tokens.CountAsync());
    }

    [Fact]
    public async Task An_upload_over_the_limit_gets_413_and_writes_nothing()
    {
        await using var app = new AppFactory(extra: new() { ["Imports:MaxUploadMegabytes"] = "1" });
        _ = app.Server;
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            db.People.Add(new Domain.Person { Email = "analyst@example.com", DisplayName = "Analyst", Roles = Domain.Roles.Analyst });
            await db.SaveChangesAsync();
        }
        var client = await ClientWithKeyAsync(app, "analyst@example.com");
        var response = await client.PostAsync("/api/imports", new ByteArrayContent(new byte[2 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
