using System.Net;
using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>Every page needs sign-in; each role reaches what it may, through the real HTTP pipeline.</summary>
public class AccessTests(SeededApp app) : IClassFixture<SeededApp>
{
    // Demo directory: sec.lead is Admin+Approver, sec.analyst Analyst, sec.auditor Auditor; ada-like staff have no role.
    private const string Admin = "sec.lead@acme.example";
    private const string Analyst = "sec.analyst@acme.example";
    private const string Auditor = "sec.auditor@acme.example";

    [Theory]
    [InlineData("/")]
    [InlineData("/tokens")]
    [InlineData("/settings")]
    [InlineData("/reports")]
    public async Task Anonymous_page_requests_are_redirected_to_sign_in(string path)
    {
        var response = await app.Factory.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/metrics")]
    [InlineData("/api/tokens")]
    public async Task Anonymous_api_requests_get_401(string path)
    {
        var response = await app.Factory.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_api_key_gets_401()
    {
        var client = app.Factory.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", "gdk_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/metrics")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_and_health_are_public()
    {
        var client = app.Factory.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("database reachable", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Admin, "/settings", HttpStatusCode.OK)]
    [InlineData(Analyst, "/settings", HttpStatusCode.Redirect)]
    [InlineData(Auditor, "/settings", HttpStatusCode.Redirect)]
    [InlineData(Analyst, "/imports", HttpStatusCode.OK)]
    [InlineData(Auditor, "/imports", HttpStatusCode.Redirect)]
    [InlineData(Auditor, "/reports", HttpStatusCode.OK)]
    [InlineData(Analyst, "/", HttpStatusCode.OK)]
    [InlineData(Auditor, "/tokens", HttpStatusCode.OK)]
    public async Task Each_role_reaches_the_pages_it_may(string email, string path, HttpStatusCode expected)
    {
        var client = await app.Factory.SignedInClientAsync(email);
        var response = await client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect)
            Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_without_roles_cannot_read_the_metrics_api_but_sees_only_their_own_tokens()
    {
        var owner = await OwnerEmailAsync();
        var client = await app.Factory.SignedInClientAsync(owner);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/metrics")).StatusCode);

        var tokens = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/tokens?pageSize=500")).RootElement;
        var items = tokens.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, t => Assert.True(
            t.GetProperty("owner").GetString() == owner || t.GetProperty("suggestedOwner").GetString() == owner));
    }

    [Fact]
    public async Task An_auditor_reads_the_metrics_and_the_whole_inventory()
    {
        var client = await app.Factory.SignedInClientAsync(Auditor);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/metrics")).StatusCode);
        var tokens = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/tokens?pageSize=10")).RootElement;
        Assert.Equal(10, tokens.GetProperty("items").GetArrayLength());
        Assert.True(tokens.GetProperty("total").GetInt32() > 100);
    }

    [Fact]
    public async Task Signing_in_as_someone_outside_the_directory_is_refused()
    {
        var client = app.Factory.Client();
        var response = await AppFactory.SignInAsync(client, "stranger@example.com");
        Assert.Contains("error=unknown", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_rejected()
    {
        var client = app.Factory.Client();
        var response = await client.PostAsync("/auth/local", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = Admin }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Sign_in_never_redirects_off_site()
    {
        var client = app.Factory.Client();
        var token = await AppFactory.AntiforgeryTokenAsync(client);
        var response = await client.PostAsync("/auth/local", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = Admin, ["returnUrl"] = "//evil.example/", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    private async Task<string> OwnerEmailAsync()
    {
        await using var db = app.Factory.Store.Factory.CreateDbContext();
        return db.Tokens.Where(t => t.Owner != null && t.Owner.Active && t.Owner.Roles == Domain.Roles.None)
            .Select(t => t.Owner!.Email).First();
    }
}
