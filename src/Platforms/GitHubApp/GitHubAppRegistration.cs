using Microsoft.Extensions.Http.Resilience;

namespace GovernanceDashboard.Platforms.GitHubApp;

public static class GitHubAppRegistration
{
    /// <summary>The GitHub App connection (<c>GitHub:App:*</c>, <c>GitHub:ApiBaseUrl</c>), one per process so its installation token is shared.</summary>
    public static IHostApplicationBuilder AddGitHubApp(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<GitHubAppOptions>(builder.Configuration.GetSection("GitHub:App"));
        var timeout = TimeSpan.FromSeconds(Math.Max(1, builder.Configuration.GetValue("Remediation:Http:TimeoutSeconds", 10.0)));
        builder.Services.AddHttpClient(GitHubAppConnection.HttpClientName, c =>
            {
                PlatformsRegistration.Configure(c, PlatformsRegistration.BaseUrl(builder.Configuration, "GitHub:ApiBaseUrl", PlatformsRegistration.DefaultGitHubApiBaseUrl));
                // GitHub refuses API calls without a User-Agent.
                c.DefaultRequestHeaders.UserAgent.ParseAdd("TokenGovernanceDashboard/1.0");
                c.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
            })
            .AddStandardResilienceHandler(o =>
            {
                o.AttemptTimeout.Timeout = timeout;
                o.TotalRequestTimeout.Timeout = timeout * 3 + TimeSpan.FromSeconds(2);
                o.CircuitBreaker.SamplingDuration = timeout * 2 > TimeSpan.FromSeconds(30) ? timeout * 2 : TimeSpan.FromSeconds(30);
                o.Retry.Delay = TimeSpan.FromSeconds(0.5);
                // Connection failures and 5xx are retried here; a rate limit is not (its wait can be an hour: the callers' queues
                // keep it, see GitHubAppConnection.RetryAt).
                o.Retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                    || (args.Outcome.Result is { } r && (int)r.StatusCode >= 500));
            });
        builder.Services.AddSingleton<GitHubAppConnection>();
        return builder;
    }
}
