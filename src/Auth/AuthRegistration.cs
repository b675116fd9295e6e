using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Identity.Web;

namespace GovernanceDashboard.Auth;

/// <summary>Sign-in: Entra ID when <c>AzureAd:ClientId</c> is set, local sign-in from the people directory otherwise (or as well, when enabled), API keys for pipelines.</summary>
public static class AuthRegistration
{
    private const string SelectorScheme = "GovernanceSelector";

    public static IHostApplicationBuilder AddGovernanceAuth(this IHostApplicationBuilder builder)
    {
        var modes = SignInModes.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(modes);

        var auth = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = SelectorScheme;
            o.DefaultChallengeScheme = SelectorScheme;
        });
        auth.AddPolicyScheme(SelectorScheme, "Cookie or API key", o => o.ForwardDefaultSelector = ctx =>
            ctx.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header)
                ? ApiKeyAuthenticationHandler.SchemeName
                : CookieAuthenticationDefaults.AuthenticationScheme);
        auth.AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        if (modes.EntraId)
        {
            auth.AddMicrosoftIdentityWebApp(builder.Configuration.GetSection("AzureAd"),
                cookieScheme: CookieAuthenticationDefaults.AuthenticationScheme);
            builder.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
            {
                o.TokenValidationParameters.RoleClaimType = "roles";
                var previous = o.Events.OnTokenValidated;
                o.Events.OnTokenValidated = async ctx =>
                {
                    if (previous is not null) await previous(ctx);
                    if (await AttachDirectoryPersonAsync(ctx.HttpContext, ctx.Principal!)) return;
                    // No session, and a page that says why rather than an error.
                    ctx.HandleResponse();
                    ctx.Response.Redirect("/login?error=directory");
                };
                var previousFailure = o.Events.OnRemoteFailure;
                o.Events.OnRemoteFailure = async ctx =>
                {
                    if (previousFailure is not null) await previousFailure(ctx);
                    if (ctx.Result?.Handled == true) return;
                    // A declined consent, an expired or replayed answer, an unreachable provider: a page, not a 500.
                    ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthRegistration))
                        .LogWarning("Entra ID sign-in failed: {Reason}", Logging.LogValue.Clean(ctx.Failure?.Message));
                    ctx.HandleResponse();
                    ctx.Response.Redirect("/login?error=entra");
                };
            });
        }
        else
        {
            auth.AddCookie(CookieAuthenticationDefaults.AuthenticationScheme);
        }

        builder.Services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            o.Cookie.Name = "gd.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // APIs answer 401/403; pages redirect to the sign-in page.
            o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
        });

        // Every cookie request re-checks its person's security stamp (Entra sign-ins too: the same cookie scheme). After
        // every Configure, so it wraps whatever Microsoft.Identity.Web put there rather than being replaced by it.
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SessionStamps>();
        builder.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            var previous = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async ctx =>
            {
                await previous(ctx);
                await SessionStamps.ValidateCookieAsync(ctx);
            };
        });
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidatingStateProvider>();

        builder.Services.AddAuthorization(Policies.Add);
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Logs how people can sign in, loudly where it matters.</summary>
    public static void LogSignInModes(this WebApplication app)
    {
        var modes = app.Services.GetRequiredService<SignInModes>();
        var log = app.Logger;
        if (modes.EntraId)
            log.LogInformation("Sign-in: Entra ID (tenant {Tenant}). Without network access to login.microsoftonline.com the first sign-in fails with IDX20803.",
                app.Configuration["AzureAd:TenantId"]);
        if (modes.Local && !app.Environment.IsDevelopment())
            log.LogWarning("Local sign-in is ENABLED in {Environment} by LocalSignIn:Enabled: anyone who reaches this site can pick an identity. Disable it once Entra ID is configured.",
                app.Environment.EnvironmentName);
        if (!modes.EntraId && !modes.Local)
            log.LogError("No sign-in is possible: set AzureAd:ClientId (Entra ID) or LocalSignIn:Enabled=true.");
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/export") || ctx.Request.Path.StartsWithSegments("/healthz"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>An Entra user must be an active person of the people directory (matched by email): the directory says who
    /// uses the dashboard and owns tokens. Their roles are the token's app roles and the directory's together.</summary>
    /// <returns>false when the person is missing from the directory or inactive: no session.</returns>
    private static async Task<bool> AttachDirectoryPersonAsync(HttpContext http, ClaimsPrincipal principal)
    {
        var email = Person.NormalizeEmail(principal.EmailOf());
        var factory = http.RequestServices.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using var db = await factory.CreateDbContextAsync(http.RequestAborted);
        var person = await db.People.FirstOrDefaultAsync(p => p.Email == email, http.RequestAborted);
        if (person is not { Active: true })
        {
            http.RequestServices.GetRequiredService<BookkeepingQueue>().Audit(email, "signin.entra.refused", person is null ? null : $"person:{person.Id}");
            return false;
        }
        if (principal.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(GovernanceClaims.PersonId, person.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            // The session is checked against the directory like a local one (SessionStamps).
            identity.AddClaim(new Claim(SessionStamps.StampClaim, person.SecurityStamp));
            if (identity.FindFirst(ClaimTypes.Email) is null) identity.AddClaim(new Claim(ClaimTypes.Email, email));
            // The token's app roles arrive as "roles" or, mapped on the way in, as ClaimTypes.Role, while the identity checks
            // "roles": without this they were never seen as roles (found by the end-to-end sign-in test).
            var tokenRoles = identity.FindAll(c => c.Type is "roles" || c.Type == ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var role in Enum.GetValues<Roles>())
                if (role != Roles.None && (person.Roles.HasFlag(role) || tokenRoles.Contains(role.ToString())) && !identity.HasClaim(identity.RoleClaimType, role.ToString()))
                    identity.AddClaim(new Claim(identity.RoleClaimType, role.ToString()));
        }
        http.RequestServices.GetRequiredService<BookkeepingQueue>().Audit(email, "signin.entra", $"person:{person.Id}");
        return true;
    }
}
