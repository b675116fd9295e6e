using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace GovernanceDashboard.Auth;

/// <summary>/auth/local (pick who you are from the directory), /auth/entra (challenge), /logout.</summary>
public static class SignInEndpoints
{
    /// <summary>The built-in administrator, offered on an empty directory only (the first sign-in of a new instance).</summary>
    public const string BuiltInAdminEmail = "admin@local";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        // Where local sign-in is off the endpoint does not exist at all, rather than refusing at run time.
        if (app.ServiceProvider.GetRequiredService<SignInModes>().Local)
            app.MapPost("/auth/local", LocalSignInAsync).AllowAnonymous();
        app.MapGet("/auth/entra", (string? returnUrl, SignInModes modes) => modes.EntraId
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])
            : Results.NotFound()).AllowAnonymous();
        app.MapPost("/logout", LogoutAsync);
        return app;
    }

    /// <summary>Whether the sign-in page offers the built-in administrator: only while nobody at all is in the directory.
    /// Once anyone is (imported, seeded or signed in), it never comes back — not even when no active Admin remains,
    /// which the directory does not allow anyway; an operator restores one with a people-csv at the command line.</summary>
    public static async Task<bool> OffersBuiltInAdminAsync(GovernanceDbContext db, CancellationToken ct = default) =>
        !await db.People.AnyAsync(ct);

    private static async Task<IResult> LocalSignInAsync(HttpContext http, [FromForm] string email, [FromForm] string? returnUrl,
        IDbContextFactory<GovernanceDbContext> factory, BookkeepingQueue bookkeeping)
    {
        await using var db = await factory.CreateDbContextAsync(http.RequestAborted);
        var normalized = Person.NormalizeEmail(email ?? "");
        var person = await db.People.FirstOrDefaultAsync(p => p.Email == normalized && p.Active, http.RequestAborted);
        if (person is null && normalized == BuiltInAdminEmail && await OffersBuiltInAdminAsync(db, http.RequestAborted))
        {
            person = new Person { Email = BuiltInAdminEmail, DisplayName = "Built-in administrator", Roles = Roles.Admin, CreatedAt = DateTimeOffset.UtcNow };
            db.People.Add(person);
            await AuditTrail.AppendAsync(db, BuiltInAdminEmail, "person.created", "person:" + BuiltInAdminEmail, after: new { person.Email, Roles = person.Roles.ToString() }, ct: http.RequestAborted);
            await db.SaveChangesAsync(http.RequestAborted);
        }
        if (person is null) return Results.Redirect("/login?error=unknown&returnUrl=" + Uri.EscapeDataString(SafeReturnUrl(returnUrl)));

        var principal = new ClaimsPrincipal(GovernanceClaims.IdentityFor(person, CookieAuthenticationDefaults.AuthenticationScheme));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        // Queued (journaled), not written here: an import holding the database must not fail a sign-in.
        bookkeeping.Audit(person.Email, "signin.local", $"person:{person.Id}");
        return Results.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, SignInModes modes, BookkeepingQueue bookkeeping,
        Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery)
    {
        // The endpoint binds no form field, so nothing checks the token unless asked: a cross-site form could sign people out.
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var email = http.User.EmailOf();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        bookkeeping.Audit(email, "signout", null);
        if (modes.EntraId && http.User.Identity?.AuthenticationType == "AuthenticationTypes.Federation")
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/login" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        return Results.Redirect("/login");
    }

    /// <summary>Only local paths, by the rule LocalRedirect itself applies (no host, no control characters): an open redirect
    /// would let a phishing link borrow our sign-in, and a path LocalRedirect refuses would be a 500.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult.IsLocalUrl(returnUrl)
            ? returnUrl : "/";
}
