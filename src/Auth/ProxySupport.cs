using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace GovernanceDashboard.Auth;

/// <summary><c>ForwardedHeaders:*</c>: whether the app sits behind a TLS-terminating proxy, and which proxies it trusts.</summary>
public sealed class ProxySettings
{
    /// <summary>Read X-Forwarded-For and X-Forwarded-Proto (off by default: a client could otherwise claim any address or scheme).</summary>
    public bool Enabled { get; set; }

    /// <summary>Proxy addresses trusted besides loopback, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Proxy networks trusted, in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a row may be unwrapped.</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>Behind a TLS proxy the request is HTTPS to the app as well: cookies are Secure, HSTS is sent, the client's
/// address (for rate limits) is the real one.</summary>
public static class ProxySupport
{
    public static IHostApplicationBuilder AddProxySupport(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("ForwardedHeaders").Get<ProxySettings>() ?? new ProxySettings();
        builder.Services.AddSingleton(settings);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Host is not taken from the proxy: the app builds no absolute links from it and must not be told another site's name.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = settings.ForwardLimit;
            foreach (var proxy in settings.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        // The antiforgery cookie's default is never Secure; over HTTPS (direct or through the proxy) it should be, like the session's.
        builder.Services.Configure<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return builder;
    }

    /// <summary>First in the pipeline when enabled, so everything after sees the original scheme and client.</summary>
    public static IApplicationBuilder UseProxySupport(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<ProxySettings>().Enabled ? app.UseForwardedHeaders() : app;
    }
}
