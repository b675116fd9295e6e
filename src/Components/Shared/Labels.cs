namespace GovernanceDashboard.Components.Shared;

/// <summary>What people read for the domain's enum values: "Hugging Face user token", not HuggingFaceUserToken. Every enum
/// the UI shows goes through here, so a raw name never reaches a page (the browser test looks for them).</summary>
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

    /// <summary>The kind in a grid's narrow column ("HF user token"); <see cref="Of(TokenKind)"/> says it in full on hover.</summary>
    public static string Brief(TokenKind kind) => kind switch
    {
        TokenKind.HuggingFaceUserToken => "HF user token",
        TokenKind.HuggingFaceOrgApiToken => "HF org API token",
        TokenKind.GitHubClassicPat => "GitHub classic PAT",
        TokenKind.GitHubFineGrainedPat => "GitHub fine-grained",
        TokenKind.GitHubOAuth => "GitHub OAuth",
        TokenKind.GitHubAppUserToken => "GitHub App user",
        TokenKind.GitHubAppInstallationToken => "GitHub App install",
        TokenKind.GitHubRefreshToken => "GitHub refresh",
        _ => "Other secret",
    };

    public static string Of(TokenStatus status) => status switch
    {
        TokenStatus.Active => "Active",
        TokenStatus.Exposed => "Exposed",
        TokenStatus.Revoked => "Revoked",
        _ => "Expired",
    };

    public static string Of(WriteCapability write) => write switch
    {
        WriteCapability.Write => "Write",
        WriteCapability.Read => "Read only",
        _ => "Unknown",
    };

    public static string Of(Severity severity) => severity.ToString();

    public static string Of(ExposureState state) => state switch
    {
        ExposureState.Open => "Open",
        ExposureState.Remediated => "Remediated",
        _ => "Dismissed",
    };

    public static string Of(AttestationAnswer answer) => answer switch
    {
        AttestationAnswer.Keep => "Keep",
        AttestationAnswer.ReduceScope => "Reduce scope",
        AttestationAnswer.Revoke => "Revoke",
        _ => "Not answered",
    };

    public static string Of(CampaignScope scope) => scope == CampaignScope.WriteCapableOnly ? "Write-capable tokens" : "All active tokens";

    public static string Of(RequestStatus status) => status switch
    {
        RequestStatus.Pending => "Pending",
        RequestStatus.Approved => "Approved",
        RequestStatus.Rejected => "Rejected",
        _ => "Withdrawn",
    };

    public static string Of(RequestKind kind) => kind == RequestKind.Declare ? "Declaration" : "Request";

    public static string Of(OwnerSource source) => source switch
    {
        OwnerSource.Manual => "assigned by hand",
        OwnerSource.Rule => "from an ownership rule",
        OwnerSource.Api => "through the API",
        _ => "unknown source",
    };

    public static string Of(Verification verification) => verification switch
    {
        Verification.Verified => "Verified live",
        Verification.Inactive => "Inactive",
        Verification.Unverified => "Not verified",
        _ => "Unknown",
    };

    public static string Of(RepoVisibility visibility) => visibility switch
    {
        RepoVisibility.Public => "Public",
        RepoVisibility.Private => "Private",
        RepoVisibility.Shared => "Shared",
        _ => "Unknown",
    };

    public static string Of(TransferStatus status) => status switch
    {
        TransferStatus.Pending => "Pending",
        TransferStatus.Accepted => "Accepted",
        TransferStatus.Declined => "Declined",
        _ => "Cancelled",
    };

    public static string Of(TokenPlatform? platform) => platform is { } p ? Of(p) : "";

    public static string Of(TokenKind? kind) => kind is { } k ? Of(k) : "";

    public static string Of(TokenStatus? status) => status is { } s ? Of(s) : "";

    public static string Of(WriteCapability? write) => write is { } w ? Of(w) : "";

    public static string Of(Severity? severity) => severity is { } s ? Of(s) : "";

    /// <summary>A scanner's detector name as a person writes it ("GitHub" for TruffleHog's "Github").</summary>
    public static string Detector(string? detector) => detector?.Trim().ToLowerInvariant() switch
    {
        null or "" => "—",
        "github" or "githubapp" or "github_app" => "GitHub",
        "huggingface" or "hugging_face" or "hugging-face" => "Hugging Face",
        _ => detector,
    };
}
