using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.People;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>Sessions are checked against the directory: a cookie from before a demotion or a departure stops working, a
/// cookie from another deployment is refused, and an open circuit loses its person.</summary>
public class SessionRevalidationTests
{
    private const string Boss = "boss@example.com";
    private const string Analyst = "analyst@example.com";

    // No remembered checks: the very next request must see the change (the default remembers one for a few seconds).
    private static readonly Dictionary<string, string?> Uncached = new() { ["Sessions:CacheSeconds"] = "0" };

    private static async Task<AppFactory> AppAsync(string environment = "Development", Dictionary<string, string?>? extra = null)
    {
        var app = new AppFactory(environment, extra ?? Uncached);
        _ = app.Server;
        // An app pointed at another app's store finds its people there.
        if (extra?.ContainsKey("ConnectionStrings:Governance") == true) return app;
        await using var db = app.Store.Factory.CreateDbContext();
        {
            db.People.AddRange(
                new Person { Email = Boss, DisplayName = "Boss", Team = "Sec", Roles = Roles.Admin },
                new Person { Email = Analyst, DisplayName = "Analyst", Team = "Sec", Roles = Roles.Analyst | Roles.Auditor });
            await db.SaveChangesAsync();
        }
        return app;
    }

    private static async Task<int> IdOfAsync(AppFactory app, string email)
    {
        await using var db = app.Store.Factory.CreateDbContext();
        return await db.People.Where(p => p.Email == email).Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task A_cookie_from_before_a_demotion_is_refused_on_the_next_request()
    {
        await using var app = await AppAsync();
        var analyst = await app.SignedInClientAsync(Analyst);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/audit/events")).StatusCode);

        Assert.Null(await app.Services.GetRequiredService<PeopleDirectory>().SetRolesAsync(await IdOfAsync(app, Analyst), Roles.Analyst, Boss));

        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.GetAsync("/api/audit/events")).StatusCode);
        var page = await analyst.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // Signing in again gives the roles the directory has now.
        var again = await app.SignedInClientAsync(Analyst);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync("/api/audit/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/tokens")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_and_an_api_key_of_someone_who_left_are_refused()
    {
        await using var app = await AppAsync();
        var analyst = await app.SignedInClientAsync(Analyst);
        var key = await ApiKeys.CreateAsync(app.Store.Factory, Analyst, "ci", "test");
        var pipeline = app.Client();
        pipeline.DefaultRequestHeaders.Add("X-Api-Key", key!.Key);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pipeline.GetAsync("/api/metrics")).StatusCode);

        // The departure arrives the usual way: an Admin's people-csv (roles column absent: roles untouched).
        var admin = await app.SignedInClientAsync(Boss);
        var csv = "email,display_name,team,manager_email,active\nanalyst@example.com,Analyst,Sec,,false\n";
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/imports", new ByteArrayContent(Encoding.UTF8.GetBytes(csv)))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.GetAsync("/api/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await pipeline.GetAsync("/api/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_team_change_also_ends_the_session_but_an_unrelated_edit_does_not()
    {
        await using var app = await AppAsync();
        var analyst = await app.SignedInClientAsync(Analyst);
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            var person = await db.People.SingleAsync(p => p.Email == Analyst);
            person.DisplayName = "Renamed";
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/metrics")).StatusCode);
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            var person = await db.People.SingleAsync(p => p.Email == Analyst);
            person.Team = "Elsewhere";
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.GetAsync("/api/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_minted_by_another_deployment_is_refused()
    {
        await using var development = await AppAsync();
        var cookie = await SessionCookieAsync(development, Boss);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(development, cookie).GetAsync("/api/metrics")).StatusCode);

        // Production on the same store and the same key folder: another deployment, so another application name.
        var shared = new Dictionary<string, string?>(Uncached)
        {
            ["ConnectionStrings:Governance"] = development.Store.ConnectionString,
            ["Secrets:KeyDirectory"] = development.Store.KeyDirectory,
            ["LocalSignIn:Enabled"] = "true",
        };
        await using var production = await AppAsync("Production", shared);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(production, cookie).GetAsync("/api/metrics")).StatusCode);

        // Instances that share DataProtection:ApplicationName are one deployment: its cookies work on each.
        var sameName = new Dictionary<string, string?>(shared) { ["DataProtection:ApplicationName"] = "acme-governance" };
        await using var first = await AppAsync("Production", sameName);
        await using var second = await AppAsync("Production", sameName);
        var shared1 = await SessionCookieAsync(first, Boss);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(second, shared1).GetAsync("/api/metrics")).StatusCode);
    }

    [Fact]
    public async Task Escrow_copies_stay_readable_by_every_deployment_on_the_key_folder()
    {
        // The deployment name isolates sessions, not the escrow: the command line and every instance must read it.
        await using var store = new TestStore();
        using var one = await TestHost.StartAsync(store, new Dictionary<string, string?> { ["DataProtection:ApplicationName"] = "one" });
        using var other = await TestHost.StartAsync(store, new Dictionary<string, string?> { ["DataProtection:ApplicationName"] = "other" });
        var escrow = one.Services.GetRequiredService<GovernanceDashboard.Secrets.SecretProtector>().Escrow("hf_exampleexampleexampleexample");
        Assert.Equal("hf_exampleexampleexampleexample", other.Services.GetRequiredService<GovernanceDashboard.Secrets.SecretProtector>().Unescrow(escrow));
    }

    [Fact]
    public async Task An_open_circuit_loses_a_demoted_person()
    {
        await using var store = new TestStore();
        using var host = await TestHost.StartAsync(store);
        var factory = host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        Person analyst;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.People.Add(new Person { Email = Boss, DisplayName = "Boss", Roles = Roles.Admin });
            analyst = new Person { Email = Analyst, DisplayName = "Analyst", Roles = Roles.Analyst };
            db.People.Add(analyst);
            await db.SaveChangesAsync();
        }
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:RevalidateSeconds"] = "0.1", ["Sessions:CacheSeconds"] = "0",
        }).Build();
        using var cache = new MemoryCache(new MemoryCacheOptions());
        var stamps = new SessionStamps(factory, cache, settings);
        using var provider = new SessionRevalidatingStateProvider(NullLoggerFactory.Instance, stamps);
        var changed = new TaskCompletionSource<Task<AuthenticationState>>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(GovernanceClaims.IdentityFor(analyst, "Cookies")))));
        // Subscribed after the circuit's own state was set: the next change is the revalidation's.
        provider.AuthenticationStateChanged += state => changed.TrySetResult(state);
        Assert.True(await stamps.IsCurrentAsync((await provider.GetAuthenticationStateAsync()).User));

        Assert.Null(await new PeopleDirectory(factory).SetRolesAsync(analyst.Id, Roles.None, Boss));

        var after = await await changed.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.False(after.User.Identity?.IsAuthenticated);
        Assert.False((await provider.GetAuthenticationStateAsync()).User.IsInRole(nameof(Roles.Analyst)));
    }

    /// <summary>Signs in through the real form without a cookie container and returns the session cookie, to replay it anywhere.</summary>
    private static async Task<string> SessionCookieAsync(AppFactory app, string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var login = await client.GetAsync("/login");
        var antiforgeryCookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = Regex.Match(await login.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/auth/local")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var response = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("gd.auth=", StringComparison.Ordinal));
    }

    private static HttpClient WithCookie(AppFactory app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}
