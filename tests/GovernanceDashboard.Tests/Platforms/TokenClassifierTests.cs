using GovernanceDashboard.Domain;
using GovernanceDashboard.Platforms;
using Xunit;

namespace GovernanceDashboard.Tests.Platforms;

public class TokenClassifierTests
{
    [Theory]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken)]
    [InlineData("api_org_abcdefghijklmnopqrstuvwxyzABCDEFGH", TokenPlatform.HuggingFace, TokenKind.HuggingFaceOrgApiToken)]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ012345", TokenPlatform.GitHub, TokenKind.GitHubClassicPat)]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghij", TokenPlatform.GitHub, TokenKind.GitHubFineGrainedPat)]
    [InlineData("gho_0123456789abcdefghijABCDEFGHIJ012345", TokenPlatform.GitHub, TokenKind.GitHubOAuth)]
    [InlineData("ghu_0123456789abcdefghijABCDEFGHIJ012345", TokenPlatform.GitHub, TokenKind.GitHubAppUserToken)]
    [InlineData("ghs_0123456789abcdefghijABCDEFGHIJ012345", TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken)]
    [InlineData("ghr_0123456789abcdefghijABCDEFGHIJ012345", TokenPlatform.GitHub, TokenKind.GitHubRefreshToken)]
    public void Prefix_decides_platform_and_kind(string secret, TokenPlatform platform, TokenKind kind)
    {
        Assert.Equal(new TokenClass(platform, kind), TokenClassifier.Classify(secret));
    }

    [Fact]
    public void Prefix_wins_over_a_contradicting_detector()
    {
        Assert.Equal(TokenPlatform.HuggingFace, TokenClassifier.Classify("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "github-pat").Platform);
    }

    [Theory]
    // GitHub secret scanning secret types
    [InlineData("hf_user_access_token", TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken)]
    [InlineData("hf_org_api_key", TokenPlatform.HuggingFace, TokenKind.HuggingFaceOrgApiToken)]
    [InlineData("github_personal_access_token", TokenPlatform.GitHub, TokenKind.GitHubClassicPat)]
    [InlineData("github_oauth_access_token", TokenPlatform.GitHub, TokenKind.GitHubOAuth)]
    [InlineData("github_app_installation_access_token", TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken)]
    [InlineData("github_refresh_token", TokenPlatform.GitHub, TokenKind.GitHubRefreshToken)]
    // gitleaks rule ids
    [InlineData("github-pat", TokenPlatform.GitHub, TokenKind.GitHubClassicPat)]
    [InlineData("github-fine-grained-pat", TokenPlatform.GitHub, TokenKind.GitHubFineGrainedPat)]
    [InlineData("github-oauth", TokenPlatform.GitHub, TokenKind.GitHubOAuth)]
    [InlineData("github-app-token", TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken)]
    [InlineData("github-refresh-token", TokenPlatform.GitHub, TokenKind.GitHubRefreshToken)]
    [InlineData("huggingface-access-token", TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken)]
    [InlineData("huggingface-organization-api-token", TokenPlatform.HuggingFace, TokenKind.HuggingFaceOrgApiToken)]
    // TruffleHog detectors
    [InlineData("HuggingFace", TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken)]
    [InlineData("Github", TokenPlatform.GitHub, TokenKind.Other)]
    [InlineData("GitHubApp", TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken)]
    [InlineData("GitHubOauth2", TokenPlatform.GitHub, TokenKind.GitHubOAuth)]
    // secretlint and gitleaks v7 rule names
    [InlineData("@secretlint/secretlint-rule-preset-recommend > @secretlint/secretlint-rule-huggingface", TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken)]
    [InlineData("Github Personal Access Token", TokenPlatform.GitHub, TokenKind.GitHubClassicPat)]
    [InlineData("Github App Token", TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken)]
    public void Detector_rule_or_secret_type_words_decide_when_there_is_no_prefix(string hint, TokenPlatform platform, TokenKind kind)
    {
        Assert.Equal(new TokenClass(platform, kind), TokenClassifier.Classify(null, hint));
        Assert.Equal(new TokenClass(platform, kind), TokenClassifier.Classify("no-known-prefix-value", hint));
    }

    [Theory]
    [InlineData("AWS")]
    [InlineData("aws-access-token")]
    [InlineData("adafruit_io_key")]
    [InlineData("generic-api-key")]
    [InlineData("PrivateKey")]
    [InlineData("happy-path-token")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_detectors_are_platform_Other(string? hint)
    {
        Assert.Equal(TokenClass.Unknown, TokenClassifier.Classify("AKIAIOSFODNN7EXAMPLE", hint));
    }

    [Fact]
    public void First_hint_naming_a_platform_is_used()
    {
        Assert.Equal(TokenPlatform.GitHub, TokenClassifier.Classify(null, "generic", "github-oauth").Platform);
    }
}
