namespace GovernanceDashboard.Platforms.GitHubApp;

/// <summary>GitHub refused the app's configuration (unknown app or installation, a key it does not know, a permission the app
/// lacks) or the configuration is incomplete: retrying changes nothing until an operator fixes it. The message is GitHub's
/// reason or the missing setting, never a key or a token.</summary>
public sealed class GitHubConfigurationException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;
}

/// <summary>GitHub asked the app to wait (429, or 403 with <c>retry-after</c> or <c>x-ratelimit-remaining: 0</c>): retry at
/// <see cref="RetryAt"/>.</summary>
public sealed class GitHubRateLimitedException(DateTimeOffset retryAt, string message) : Exception(message)
{
    public DateTimeOffset RetryAt { get; } = retryAt;
}
