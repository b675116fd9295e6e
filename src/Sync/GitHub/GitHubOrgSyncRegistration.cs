namespace GovernanceDashboard.Sync.GitHub;

/// <summary>Registers the GitHub organisation sync: the services everywhere (the <c>sync github</c> verb syncs too), the worker in the
/// dashboard only, in the instance that leads.</summary>
public static class GitHubOrgSyncRegistration
{
    public static IHostApplicationBuilder AddGitHubOrgSync(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OrgTokenReader>();
        builder.Services.AddSingleton<OrgTokenSync>();
        builder.Services.AddSingleton<PatRequestSync>();
        builder.Services.AddSingleton<CredentialAuthorizationSync>();
        builder.Services.AddSingleton<OrgAccessRevoker>();
        builder.Services.AddSingleton<GitHubOrgSync>();
        return builder;
    }

    public static IHostApplicationBuilder AddGitHubOrgSyncWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLedHostedService<GitHubOrgSyncWorker>();
        return builder;
    }
}
