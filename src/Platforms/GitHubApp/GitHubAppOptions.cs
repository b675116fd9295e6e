namespace GovernanceDashboard.Platforms.GitHubApp;

/// <summary><c>GitHub:App:*</c>: the GitHub App the dashboard acts as (secret scanning alerts today, platform sync later).</summary>
public sealed class GitHubAppOptions
{
    /// <summary>The app's id (the JWT's issuer).</summary>
    public long Id { get; set; }

    /// <summary>The app's private key (PEM), by default <c>github-app.pem</c> in <c>Secrets:KeyDirectory</c>: a relative path is
    /// taken from that folder, so the key is backed up and protected with the other keys. Never copied into the store or a log.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The installation of the app on the organisation(s) whose alerts are read.</summary>
    public long InstallationId { get; set; }

    public bool IsConfigured => Id > 0 && InstallationId > 0;

    /// <summary>Why the connection cannot be used, in the operator's words; null when it can.</summary>
    public string? Missing() =>
        Id <= 0 ? "GitHub:App:Id is not set."
        : InstallationId <= 0 ? "GitHub:App:InstallationId is not set."
        : null;
}
