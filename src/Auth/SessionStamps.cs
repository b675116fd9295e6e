using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Caching.Memory;

namespace GovernanceDashboard.Auth;

/// <summary>Whether a session still speaks for its person: the security stamp it was signed in with is still the
/// person's (a change of roles, activity or team gives them a new one) and the person is active.</summary>
/// <remarks>Checked on every cookie request and, for open Blazor circuits, every <c>Sessions:RevalidateSeconds</c>.
/// A current (person, stamp) pair is remembered for <c>Sessions:CacheSeconds</c> (default 5), so a page's burst of
/// requests costs one small read of the directory; a change made elsewhere is seen once that has passed.</remarks>
public sealed class SessionStamps(IDbContextFactory<GovernanceDbContext> dbFactory, IMemoryCache cache, IConfiguration configuration)
{
    public const string StampClaim = "gd:stamp";

    private readonly TimeSpan _cacheFor = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Sessions:CacheSeconds", 5.0)));

    /// <summary>How often an open circuit re-checks its session (at most a minute; tests shorten it).</summary>
    public TimeSpan RevalidationInterval { get; } = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Sessions:RevalidateSeconds", 60.0), 0.05, 60));

    /// <summary>True when the signed-in person is active and their stamp is the one this session carries; a session
    /// without a stamp (signed in before stamps existed) is not current either.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.PersonIdOf() is not { } personId || user.FindFirstValue(StampClaim) is not { Length: > 0 } stamp) return false;
        var key = (typeof(SessionStamps), personId, stamp);
        if (cache.TryGetValue(key, out _)) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.People.AsNoTracking().Where(p => p.Id == personId && p.Active).Select(p => p.SecurityStamp).FirstOrDefaultAsync(ct);
        if (!string.Equals(current, stamp, StringComparison.Ordinal)) return false;
        if (_cacheFor > TimeSpan.Zero) cache.Set(key, true, _cacheFor);
        return true;
    }

    /// <summary>The cookie handler's check on every request: a stale session is signed out (pages then go to the sign-in
    /// page, APIs answer 401), and the person signs in again with their roles as the directory has them now.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.Identity?.IsAuthenticated != true) return;
        var stamps = context.HttpContext.RequestServices.GetRequiredService<SessionStamps>();
        if (await stamps.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}

/// <summary>Re-checks an open circuit's session, so a person demoted or deactivated loses the page within
/// <see cref="SessionStamps.RevalidationInterval"/> (their circuit then sees an anonymous user and is sent to sign in).</summary>
public sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, SessionStamps stamps)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => stamps.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        authenticationState.User.Identity?.IsAuthenticated != true || await stamps.IsCurrentAsync(authenticationState.User, cancellationToken);
}
