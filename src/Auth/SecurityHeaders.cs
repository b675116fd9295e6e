namespace GovernanceDashboard.Auth;

/// <summary>Response headers every answer carries: a Content-Security-Policy that lets Blazor Server, MudBlazor and Plotly
/// run without <c>'unsafe-eval'</c>, nosniff, a Referrer-Policy, and <c>no-store</c> on API and export answers.</summary>
/// <remarks>
/// Scripts come only from this site, plus the one inline script Blazor renders (the import map), which carries a
/// per-request nonce (<see cref="NonceOf"/>). Styles allow inline: MudBlazor's theme and components and plotly.js write
/// style attributes and elements at run time, and a style cannot run code. The Blazor circuit's WebSocket is same-origin
/// ('self' covers ws/wss). Frames: none (nobody may frame the dashboard to overlay clicks).
/// </remarks>
public static class SecurityHeaders
{
    private static readonly object NonceKey = new();

    /// <summary>The nonce this request's Content-Security-Policy allows inline scripts with.</summary>
    public static string NonceOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[NonceKey] is string nonce) return nonce;
        // Hex, not base64: '+' and '/' would be HTML-encoded in the attribute, and a reader of the page should see the header's value.
        nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        return nonce;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        // Sign-out from Entra ID ends in a redirect to its logout page after the form post, which form-action must allow.
        var formAction = "'self'";
        if (!string.IsNullOrWhiteSpace(configuration["AzureAd:ClientId"])
            && Uri.TryCreate(configuration["AzureAd:Instance"], UriKind.Absolute, out var instance))
            formAction += " " + instance.GetLeftPart(UriPartial.Authority);

        return app.Use((http, next) =>
        {
            // Set when the answer starts, so answers rewritten by the exception handler or status-code pages carry them too.
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy =
                    $"default-src 'self'; script-src 'self' 'nonce-{NonceOf(http)}'; style-src 'self' 'unsafe-inline'; " +
                    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
                    $"form-action {formAction}; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // API and export answers are inventory data: never kept by a browser or a shared cache.
                if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/export"))
                {
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }
                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
