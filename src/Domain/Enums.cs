namespace GovernanceDashboard.Domain;

/// <summary>The platform a credential opens.</summary>
public enum TokenPlatform { HuggingFace, GitHub, Other }

/// <summary>What sort of credential a token is, from its prefix or the scanner's detector.</summary>
public enum TokenKind
{
    Other,
    HuggingFaceUserToken,
    HuggingFaceOrgApiToken,
    GitHubClassicPat,
    GitHubFineGrainedPat,
    GitHubOAuth,
    GitHubAppUserToken,
    GitHubAppInstallationToken,
    GitHubRefreshToken,
}

/// <summary>Whether a token's known permissions allow changing anything (docs/metrics.md "Write scope").</summary>
public enum WriteCapability { Unknown, Read, Write }

/// <summary>Lifecycle status of a token (docs/metrics.md "token status").</summary>
public enum TokenStatus { Active, Exposed, Revoked, Expired }

/// <summary>Where an occurrence was seen: TruffleHog's integer visibility (0 public … 3 unknown).</summary>
public enum RepoVisibility { Public = 0, Private = 1, Shared = 2, Unknown = 3 }

/// <summary>What a scanner said about the token being live when it was found.</summary>
public enum Verification { Unverified, Verified, Unknown, Inactive }

/// <summary>Lifecycle of an exposure (incident).</summary>
public enum ExposureState { Open, Remediated, Dismissed }

/// <summary>Severity at detection (docs/metrics.md "Severity").</summary>
public enum Severity { Low, Medium, High, Critical }

/// <summary>Roles beyond "owner of one's own tokens", which everyone signed in has.</summary>
[Flags]
public enum Roles
{
    None = 0,
    Admin = 1,
    Analyst = 2,
    Approver = 4,
    Auditor = 8,
}

/// <summary>Where a token's confirmed owner came from.</summary>
public enum OwnerSource { None, Manual, Rule, Api }
