using GovernanceDashboard.Domain;

namespace GovernanceDashboard.Components.Shared;

/// <summary>What people read for the domain's enum values: "Hugging Face user token", not HuggingFaceUserToken.</summary>
public static class Labels
{
    public static string Of(TokenPlatform platform) => platform switch
    {
        TokenPlatform.HuggingFace => "Hugging Face",
        TokenPlatform.GitHub => "GitHub",
        _ => "Other",
    };

    public static string Of(TokenKind kind) => kind switch
    {
        TokenKind.HuggingFaceUserToken => "Hugging Face user token",
        TokenKind.HuggingFaceOrgApiToken => "Hugging Face organisation API token",
        TokenKind.GitHubClassicPat => "GitHub classic PAT",
        TokenKind.GitHubFineGrainedPat => "GitHub fine-grained PAT",
        TokenKind.GitHubOAuth => "GitHub OAuth token",
        TokenKind.GitHubAppUserToken => "GitHub App user token",
        TokenKind.GitHubAppInstallationToken => "GitHub App installation token",
        TokenKind.GitHubRefreshToken => "GitHub refresh token",
        _ => "Other secret",
    };

    public static string Of(TokenPlatform? platform) => platform is { } p ? Of(p) : "";

    public static string Of(TokenKind? kind) => kind is { } k ? Of(k) : "";
}
