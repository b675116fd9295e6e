using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace GovernanceDashboard.Auth;

/// <summary><c>RateLimits:*</c>: how many sign-in and API requests one caller may make per minute (0 turns a limit off).</summary>
public sealed class RateLimitSettings
{
    /// <summary>Sign-in requests (<c>/auth/*</c>, the Entra ID callback) per client address and minute.</summary>
    public int SignInPerMinute { get; set; } = 60;

    /// <summary>API and export requests per signed-in person (or, before sign-in, per client address) and minute.</summary>
    public int ApiPerMinute { get; set; } = 600;

    /// <summary>GitHub webhook deliveries (<c>/api/webhooks</c>, anonymous until their signature is checked) per client address and minute.</summary>
    public int WebhooksPerMinute { get; set; } = 1200;
}

/// <summary>ASP.NET Core rate limiting on sign-in and on the API; a refused request gets 429 with Retry-After.</summary>
/// <remarks>One global limiter partitioned by path rather than per-endpoint policies, so an endpoint added later under
/// <c>/api</c> or <c>/export</c> is limited without anyone remembering to say so.</remarks>
public static class RateLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IHostApplicationBuilder AddGovernanceRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitSettings>().Bind(builder.Configuration.GetSection("RateLimits"));
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>, IConfiguration>((o, settings, configuration) =>
        {
            var limits = settings.Value;
            var callbackPath = configuration["AzureAd:CallbackPath"] ?? "/signin-oidc";
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var path = http.Request.Path;
                var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (path.StartsWithSegments("/auth") || path.StartsWithSegments(callbackPath))
                    return Partition("signin:" + address, limits.SignInPerMinute);
                if (path.StartsWithSegments("/api/webhooks"))
                    return Partition("webhook:" + address, limits.WebhooksPerMinute);
                if (path.StartsWithSegments("/api") || path.StartsWithSegments("/export"))
                {
                    // After authentication: a person's keys and sessions share one budget; wrong keys count against the address.
                    var caller = http.User.PersonIdOf() is { } person ? "person:" + person.ToString(CultureInfo.InvariantCulture) : "address:" + address;
                    return Partition("api:" + caller, limits.ApiPerMinute);
                }
                return RateLimitPartition.GetNoLimiter("none");
            });
        });
        return builder;
    }

    private static RateLimitPartition<string> Partition(string key, int perMinute) => perMinute <= 0
        ? RateLimitPartition.GetNoLimiter(key)
        : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute, Window = Window, QueueLimit = 0, AutoReplenishment = true,
        });

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken ct)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : (int)Window.TotalSeconds;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem($"Too many requests; try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(context.HttpContext);
    }
}
