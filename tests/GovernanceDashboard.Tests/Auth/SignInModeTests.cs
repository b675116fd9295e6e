using System.Net;
using GovernanceDashboard.Audit;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Auth;

public class SignInModeTests
{
    [Fact]
    public async Task Local_sign_in_cannot_be_reached_in_Production_without_the_explicit_setting()
    {
        await using var app = new AppFactory("Production");
        var client = app.Client();

        var page = await client.GetStringAsync("/login");
        Assert.DoesNotContain("name=\"email\"", page, StringComparison.Ordinal);

        // Even a hand-made post gets nowhere: the endpoint does not exist on this instance, so no session cookie is set.
        var response = await client.PostAsync("/auth/local", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "admin@local" }));
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("gd.auth", StringComparison.Ordinal)));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_sign_in_works_in_Production_when_explicitly_enabled()
    {
        await using var app = new AppFactory("Production", new() { ["LocalSignIn:Enabled"] = "true" });
        var client = await app.SignedInClientAsync("admin@local");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task An_empty_store_offers_the_built_in_administrator_and_audits_the_sign_in()
    {
        await using var app = new AppFactory();
        var page = await app.Client().GetStringAsync("/login");
        Assert.Contains("admin@local", page, StringComparison.Ordinal);

        var client = await app.SignedInClientAsync("admin@local");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);

        // Sign-in events are written off the request path: wait until the queue is in the database.
        using (var drained = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await app.Services.GetRequiredService<GovernanceDashboard.Bookkeeping.BookkeepingQueue>().DrainedAsync(drained.Token);
        await using var db = app.Store.Factory.CreateDbContext();
        var kinds = await db.AuditEvents.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        Assert.Contains("person.created", kinds);
        Assert.Contains("signin.local", kinds);
        Assert.Null(await AuditTrail.VerifyAsync(db));
    }

    [Fact]
    public async Task The_built_in_administrator_is_not_offered_once_the_directory_has_an_admin()
    {
        await using var app = new AppFactory();
        _ = app.Server;
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            db.People.Add(new Domain.Person { Email = "boss@example.com", DisplayName = "Boss", Roles = Domain.Roles.Admin });
            await db.SaveChangesAsync();
        }
        var client = app.Client();
        Assert.DoesNotContain("admin@local", await client.GetStringAsync("/login"), StringComparison.Ordinal);
        var response = await AppFactory.SignInAsync(client, "admin@local");
        Assert.Contains("error=unknown", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        await using var app = new AppFactory();
        var client = await app.SignedInClientAsync("admin@local");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        var token = await AppFactory.AntiforgeryTokenAsync(client);
        var response = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}
