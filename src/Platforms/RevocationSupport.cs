namespace GovernanceDashboard.Platforms;

/// <summary>Which tokens the platforms' revocation APIs take, and where a person revokes the others by hand.</summary>
public static class RevocationSupport
{
    public const string HuggingFaceTokenSettings = "https://huggingface.co/settings/tokens";
    public const string GitHubTokenSettings = "https://github.com/settings/tokens";

    /// <summary>The platform's token settings page, for the manual path.</summary>
    public static string? ManualUrl(TokenPlatform platform) => platform switch
    {
        TokenPlatform.HuggingFace => HuggingFaceTokenSettings,
        TokenPlatform.GitHub => GitHubTokenSettings,
        _ => null,
    };

    /// <summary>Null when the kind can be revoked through its platform's API; otherwise why not, in a sentence.</summary>
    public static string? WhyNotByApi(TokenPlatform platform, TokenKind kind) => (platform, kind) switch
    {
        (TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken) => null,
        (TokenPlatform.HuggingFace, _) => "Hugging Face's revocation API takes user access tokens (hf_…) only; revoke this one in the organisation's token settings.",
        (TokenPlatform.GitHub, TokenKind.GitHubClassicPat or TokenKind.GitHubFineGrainedPat or TokenKind.GitHubOAuth
            or TokenKind.GitHubAppUserToken or TokenKind.GitHubRefreshToken) => null,
        (TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken) =>
            "GitHub's revocation API does not accept installation tokens (ghs_): such a token expires within an hour; the GitHub App's owner rotates the app's private key to stop new ones.",
        (TokenPlatform.GitHub, _) => "The kind of this GitHub credential is not known, so it cannot be sent to GitHub's revocation API.",
        _ => "This platform has no revocation API this dashboard can call.",
    };

    /// <summary>True when the value itself carries a prefix the platform's revocation API accepts (checked again on the decrypted
    /// value: a kind told from a scanner's detector name is not proof of the value's shape). The prefixes are
    /// <see cref="TokenClassifier"/>'s and the accepted kinds <see cref="WhyNotByApi"/>'s: one list of each.</summary>
    public static bool AcceptsValue(TokenPlatform platform, string value) =>
        TokenClassifier.FromPrefix(value) is { } byPrefix && byPrefix.Platform == platform && WhyNotByApi(platform, byPrefix.Kind) is null;
}
