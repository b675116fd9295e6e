using System.Net;
using System.Text.RegularExpressions;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>Entra ID sign-in end to end without the internet: Microsoft.Identity.Web pointed at an OpenID Connect provider
/// on 127.0.0.1, the real redirect dance over HTTP (authorize, form post back, code redeemed on the back channel).</summary>
public class EntraSignInTests
{
    private const string Tenant = "7d9c2f1e-0000-4000-8000-00000000c0de";
    private const string ClientId = "gd-test-client";
    private const string Secret = "gd-test-secret";

    private sealed class Harness : IAsyncDisposable
    {
        public required StubOpenIdProvider Idp { get; init; }
        public required AppFactory App { get; init; }
        public required WebApplicationFactory<Program> Web { get; init; }
        public required CapturedLogs Logs { get; init; }

        public async ValueTask DisposeAsync()
        {
            await Web.DisposeAsync();
            await App.DisposeAsync();
            await Idp.DisposeAsync();
        }
    }

    private static async Task<Harness> StartAsync()
    {
        var idp = await StubOpenIdProvider.StartAsync(Tenant, ClientId, Secret);
        var app = new AppFactory("Development", new()
        {
            ["AzureAd:Instance"] = idp.BaseUrl + "/",
            ["AzureAd:TenantId"] = Tenant,
            ["AzureAd:ClientId"] = ClientId,
            ["AzureAd:ClientSecret"] = Secret,
            ["LocalSignIn:Enabled"] = "false",
        });
        // The concessions to the test, both because the provider speaks HTTP on 127.0.0.1 where Entra speaks HTTPS: metadata
        // over HTTP, and the issuer named (Microsoft.Identity.Web's issuer validator fetches the metadata again, HTTPS only).
        var logs = new CapturedLogs();
        var web = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)).ConfigureTestServices(s =>
            s.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
            {
                o.RequireHttpsMetadata = false;
                o.TokenValidationParameters.ValidIssuers = [idp.Issuer];
            })));
        _ = web.Server;
        await using var db = app.Store.Factory.CreateDbContext();
        db.People.AddRange(
            new Person { Email = "ada@acme.example", DisplayName = "Ada Directory", Roles = Roles.Analyst, CreatedAt = DateTimeOffset.UtcNow },
            new Person { Email = "left@acme.example", DisplayName = "Left Company", Roles = Roles.Admin, Active = false, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return new Harness { Idp = idp, App = app, Web = web, Logs = logs };
    }

    /// <summary>The browser's part: app → provider's authorize → the provider's form posted back to the app → its redirect.</summary>
    private static async Task<(HttpClient Browser, HttpResponseMessage Callback)> SignInAsync(Harness h, StubOpenIdProvider.User user, string returnUrl = "/tokens")
    {
        h.Idp.NextUser = user;
        // HTTPS to the app (the test server needs no certificate), so the correlation and nonce cookies, Secure, come back.
        var browser = h.Web.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        var challenge = await browser.GetAsync("/auth/entra?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await AssertStatusAsync(HttpStatusCode.Redirect, challenge);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(h.Idp.BaseUrl + "/" + Tenant + "/oauth2/v2.0/authorize", authorize.ToString(), StringComparison.Ordinal);

        using var toIdp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await toIdp.GetAsync(authorize);
        HttpResponseMessage callback;
        if (answer.StatusCode == HttpStatusCode.Redirect)
        {
            callback = await browser.GetAsync(answer.Headers.Location!.PathAndQuery);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var html = await answer.Content.ReadAsStringAsync();
            var action = WebUtility.HtmlDecode(Regex.Match(html, "<form method=\"post\" action=\"([^\"]+)\"").Groups[1].Value);
            var fields = Regex.Matches(html, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
                .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
            callback = await browser.PostAsync(new Uri(action).PathAndQuery, new FormUrlEncodedContent(fields));
        }
        return (browser, callback);
    }

    /// <summary>The status, or the start of the answer (the developer exception page names the cause).</summary>
    private static async Task AssertStatusAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode == expected) return;
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"expected {(int)expected}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 1500)]}");
    }

    [Fact]
    public async Task A_directory_person_signs_in_through_entra_and_token_roles_add_to_directory_roles()
    {
        await using var h = await StartAsync();

        var (browser, callback) = await SignInAsync(h, new("ada@acme.example", "Ada Entra", "Auditor"));

        await AssertStatusAsync(HttpStatusCode.Redirect, callback);
        Assert.True(callback.Headers.Location!.OriginalString == "/tokens",
            $"sent to {callback.Headers.Location}: " + string.Join("\n", h.Logs.Lines.Where(l => l.Contains("Entra", StringComparison.Ordinal))));
        Assert.Equal(1, h.Idp.CodesRedeemed);
        var page = await browser.GetAsync("/tokens");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var shown = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"signed-in-person\"[^>]*>(.*?)</", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("ada", shown, StringComparison.OrdinalIgnoreCase);
        // Auditor comes from the token's app roles, Analyst from the directory; neither gives Admin.
        var audit = await browser.GetAsync("/audit");
        Assert.True(audit.StatusCode == HttpStatusCode.OK, $"/audit: {(int)audit.StatusCode} {audit.Headers.Location}; /imports: {(int)(await browser.GetAsync("/imports")).StatusCode}; shown: {shown}");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/imports")).StatusCode);
        var settings = await browser.GetAsync("/settings");
        Assert.StartsWith("/denied", settings.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // The session is the directory's person: "my" things are theirs.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/my/tokens")).StatusCode);
        // Sign-in events are written off the request path: wait until the queue is in the database.
        using (var drained = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await h.Web.Services.GetRequiredService<GovernanceDashboard.Bookkeeping.BookkeepingQueue>().DrainedAsync(drained.Token);
        await using var db = h.App.Store.Factory.CreateDbContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Kind == "signin.entra" && e.Actor == "ada@acme.example"));
    }

    [Theory]
    [InlineData("stranger@acme.example")]
    [InlineData("left@acme.example")]
    public async Task Someone_not_active_in_the_directory_gets_a_clear_page_and_no_session_whatever_their_token_roles(string email)
    {
        await using var h = await StartAsync();

        var (browser, callback) = await SignInAsync(h, new(email, "Not Here", "Admin"));

        await AssertStatusAsync(HttpStatusCode.Redirect, callback);
        var target = callback.Headers.Location!.OriginalString;
        Assert.StartsWith("/login?error=directory", target, StringComparison.Ordinal);
        var page = await browser.GetAsync(target);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("not an active member of the people directory", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/tokens")).StatusCode);
        await using var db = h.App.Store.Factory.CreateDbContext();
        Assert.Equal(email == "left@acme.example" ? 1 : 0, await db.People.CountAsync(p => p.Email == email));
    }

    [Fact]
    public async Task A_failed_answer_from_the_provider_is_a_page_not_a_500()
    {
        await using var h = await StartAsync();
        var browser = h.Web.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        await browser.GetAsync("/auth/entra");

        // What Entra posts back when the person declines consent: an error instead of a code.
        var callback = await browser.PostAsync("/signin-oidc", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["error"] = "access_denied", ["error_description"] = "AADSTS65004: User declined to consent", ["state"] = "not-ours",
        }));

        await AssertStatusAsync(HttpStatusCode.Redirect, callback);
        Assert.StartsWith("/login?error=entra", callback.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
