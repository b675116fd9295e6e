using Microsoft.Extensions.Http.Resilience;

namespace GovernanceDashboard.Platforms;

/// <summary>Timeouts and retries of the platform clients (<c>Remediation:Http:*</c>).</summary>
public sealed class PlatformHttpOptions
{
    /// <summary>One attempt's timeout.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a transient failure (5xx, timeout, connection), with exponential backoff.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The longest a call can take with its retries and their backoff: a sender's claim on a request outlasts it.</summary>
    public TimeSpan TotalTimeout => TimeSpan.FromSeconds(Math.Max(1, TimeoutSeconds) * (Retries + 1) + 2 * Math.Max(0, Retries) + 1);
}

public static class PlatformsRegistration
{
    public const string DefaultHuggingFaceBaseUrl = "https://huggingface.co";
    public const string DefaultGitHubApiBaseUrl = "https://api.github.com";

    /// <summary>Typed clients for Hugging Face and GitHub with base URLs from <c>HuggingFace:BaseUrl</c> and <c>GitHub:ApiBaseUrl</c>
    /// (tests point them at a stub on 127.0.0.1), and the standard resilience handler (timeouts, retries with backoff, circuit breaker).</summary>
    public static IHostApplicationBuilder AddPlatformClients(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Remediation:Http").Get<PlatformHttpOptions>() ?? new PlatformHttpOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddHttpClient<HuggingFaceClient>(c => Configure(c, BaseUrl(builder.Configuration, "HuggingFace:BaseUrl", DefaultHuggingFaceBaseUrl)))
            .AddStandardResilienceHandler(o => Resilience(o, options));
        builder.Services.AddHttpClient<GitHubClient>(c => ConfigureGitHub(c, BaseUrl(builder.Configuration, "GitHub:ApiBaseUrl", DefaultGitHubApiBaseUrl)))
            .AddStandardResilienceHandler(o => Resilience(o, options));
        return builder;
    }

    internal static Uri BaseUrl(IConfiguration configuration, string key, string fallback)
    {
        var text = configuration[key];
        var value = string.IsNullOrWhiteSpace(text) ? fallback : text.Trim();
        // A trailing slash makes relative paths ("api/whoami-v2") append to a base with a path prefix.
        if (!value.EndsWith('/')) value += "/";
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{key} must be an absolute http(s) URL.");
    }

    internal static void Configure(HttpClient client, Uri baseUrl)
    {
        client.BaseAddress = baseUrl;
        // The resilience handler's total timeout governs; this is only a backstop.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>A client of GitHub's REST API: its base address and the headers GitHub wants on every call.</summary>
    internal static void ConfigureGitHub(HttpClient client, Uri baseUrl)
    {
        Configure(client, baseUrl);
        // GitHub refuses API calls without a User-Agent.
        client.DefaultRequestHeaders.UserAgent.ParseAdd("TokenGovernanceDashboard/1.0");
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
    }

    internal static void Resilience(HttpStandardResilienceOptions o, PlatformHttpOptions options)
    {
        var attempt = TimeSpan.FromSeconds(Math.Max(0.1, options.TimeoutSeconds));
        o.AttemptTimeout.Timeout = attempt;
        // The handler needs at least one retry configured; "no retries" means nothing is worth retrying.
        o.Retry.MaxRetryAttempts = Math.Max(1, options.Retries);
        if (options.Retries <= 0) o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        o.Retry.Delay = TimeSpan.FromSeconds(0.5);
        o.Retry.UseJitter = true;
        // POSTs are retried too: revocation is idempotent on both platforms, so sending a batch twice does no harm.
        o.TotalRequestTimeout.Timeout = options.TotalTimeout;
        o.CircuitBreaker.SamplingDuration = attempt * 2 > TimeSpan.FromSeconds(30) ? attempt * 2 : TimeSpan.FromSeconds(30);
    }
}
