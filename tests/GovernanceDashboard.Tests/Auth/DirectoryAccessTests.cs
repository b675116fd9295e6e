using System.Net;
using System.Text;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Domain;
using GovernanceDashboard.People;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>Who may change the people directory, over real HTTP against the real app: people-csv is for Admins, a file
/// without a roles column keeps roles, the last active Admin stays, and the built-in administrator is for an empty directory.</summary>
public class DirectoryAccessTests
{
    private const string Header = "email,display_name,team,manager_email,active";

    private static async Task<AppFactory> AppAsync()
    {
        var app = new AppFactory();
        _ = app.Server;
        await using var db = app.Store.Factory.CreateDbContext();
        db.People.AddRange(
            new Person { Email = "boss@example.com", DisplayName = "Boss", Team = "Sec", Roles = Roles.Admin | Roles.Approver },
            new Person { Email = "analyst@example.com", DisplayName = "Analyst", Team = "Sec", Roles = Roles.Analyst },
            new Person { Email = "dev@example.com", DisplayName = "Dev", Team = "Eng", Roles = Roles.Auditor });
        await db.SaveChangesAsync();
        return app;
    }

    private static async Task<HttpClient> KeyClientAsync(AppFactory app, string email)
    {
        var key = await ApiKeys.CreateAsync(app.Store.Factory, email, "ci", "test");
        var client = app.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", key!.Key);
        return client;
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string csv, string? format = null) =>
        client.PostAsync("/api/imports" + (format is null ? "" : "?format=" + format), new ByteArrayContent(Encoding.UTF8.GetBytes(csv)));

    private static async Task<Dictionary<string, (Roles Roles, bool Active, string? Team)>> PeopleAsync(AppFactory app)
    {
        await using var db = app.Store.Factory.CreateDbContext();
        return await db.People.AsNoTracking().ToDictionaryAsync(p => p.Email, p => (p.Roles, p.Active, p.Team));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("people-csv")]
    public async Task An_analyst_cannot_make_themselves_admin_with_a_people_csv(string? format)
    {
        await using var app = await AppAsync();
        var analyst = await KeyClientAsync(app, "analyst@example.com");

        var response = await ImportAsync(analyst, $"{Header},roles\nanalyst@example.com,A,Sec,,true,Admin;Approver;Auditor\n", format);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Admin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Roles.Analyst, (await PeopleAsync(app))["analyst@example.com"].Roles);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/audit/events")).StatusCode);
        await using var db = app.Store.Factory.CreateDbContext();
        Assert.Empty(await db.Imports.ToListAsync());
    }

    [Fact]
    public async Task An_analyst_still_imports_ownership_rules()
    {
        await using var app = await AppAsync();
        var analyst = await KeyClientAsync(app, "analyst@example.com");
        var response = await ImportAsync(analyst, "platform,account,owner_email\nhuggingface,research-bot,dev@example.com\n");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_people_csv_without_a_roles_column_keeps_everyones_roles_and_an_empty_cell_clears_them()
    {
        await using var app = await AppAsync();
        var admin = await KeyClientAsync(app, "boss@example.com");

        var response = await ImportAsync(admin, $"{Header}\nboss@example.com,Boss,Sec,,true\nanalyst@example.com,Analyst,Red team,,true\nnew@example.com,New,Eng,,true\n");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var people = await PeopleAsync(app);
        Assert.Equal(Roles.Admin | Roles.Approver, people["boss@example.com"].Roles);
        Assert.Equal((Roles.Analyst, "Red team"), (people["analyst@example.com"].Roles, people["analyst@example.com"].Team));
        Assert.Equal(Roles.None, people["new@example.com"].Roles);

        response = await ImportAsync(admin, $"{Header},roles\nboss@example.com,Boss,Sec,,true,Admin\nanalyst@example.com,Analyst,Red team,,true,\n");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        people = await PeopleAsync(app);
        Assert.Equal(Roles.Admin, people["boss@example.com"].Roles);
        Assert.Equal(Roles.None, people["analyst@example.com"].Roles);
        Assert.Equal(Roles.Auditor, people["dev@example.com"].Roles);
    }

    [Theory]
    [InlineData("boss@example.com,Boss,Sec,,true,Approver")]
    [InlineData("boss@example.com,Boss,Sec,,false,Admin")]
    public async Task A_people_csv_that_would_leave_no_active_admin_is_rejected_whole(string bossRow)
    {
        await using var app = await AppAsync();
        var admin = await KeyClientAsync(app, "boss@example.com");
        var before = await PeopleAsync(app);

        var response = await ImportAsync(admin, $"{Header},roles\n{bossRow}\nanalyst@example.com,Analyst,Elsewhere,,true,Auditor\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no active Admin", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await PeopleAsync(app));

        // Handing the role on in the same file is fine.
        response = await ImportAsync(admin, $"{Header},roles\n{bossRow}\nanalyst@example.com,Analyst,Sec,,true,Admin\n");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Roles.Admin, (await PeopleAsync(app))["analyst@example.com"].Roles);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_lose_the_role_in_settings_either()
    {
        await using var app = await AppAsync();
        var directory = app.Services.GetRequiredService<PeopleDirectory>();
        var people = await PeopleAsync(app);
        await using var db = app.Store.Factory.CreateDbContext();
        var boss = await db.People.SingleAsync(p => p.Email == "boss@example.com");
        var analyst = await db.People.SingleAsync(p => p.Email == "analyst@example.com");

        var refusal = await directory.SetRolesAsync(boss.Id, Roles.Approver, "boss@example.com");
        Assert.NotNull(refusal);
        Assert.Contains("no active Admin", refusal, StringComparison.Ordinal);
        Assert.Equal(people, await PeopleAsync(app));

        Assert.Null(await directory.SetRolesAsync(analyst.Id, Roles.Analyst | Roles.Admin, "boss@example.com"));
        Assert.Null(await directory.SetRolesAsync(boss.Id, Roles.Approver, "boss@example.com"));
        Assert.Equal(Roles.Approver, (await PeopleAsync(app))["boss@example.com"].Roles);
    }

    [Fact]
    public async Task The_built_in_administrator_is_offered_on_an_empty_directory_only()
    {
        await using var app = new AppFactory();
        _ = app.Server;
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            // Nobody is an Admin here, yet the directory is not empty: no built-in administrator for anyone who comes by.
            db.People.Add(new Person { Email = "staff@example.com", DisplayName = "Staff" });
            await db.SaveChangesAsync();
        }
        var client = app.Client();
        Assert.DoesNotContain("admin@local", await client.GetStringAsync("/login"), StringComparison.Ordinal);
        var response = await AppFactory.SignInAsync(client, "admin@local");
        Assert.Contains("error=unknown", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/settings")).StatusCode);
    }
}
