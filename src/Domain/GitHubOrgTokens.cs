namespace GovernanceDashboard.Domain;

/// <summary>One fine-grained PAT with access to an organisation, as GitHub's <c>GET /orgs/{org}/personal-access-tokens</c> lists it:
/// the organisation's side of an inventory token (platform GitHub, kind fine-grained PAT). GitHub never gives the value: the
/// inventory token is named by GitHub's token id. Its permissions and repositories are kept here for the blast radius.</summary>
public class GitHubOrgToken
{
    public required string Organization { get; set; }

    /// <summary>GitHub's <c>token_id</c>: the token itself (what the inventory token is named by).</summary>
    public long GitHubTokenId { get; set; }

    /// <summary>GitHub's <c>id</c> of the grant: the <c>pat_id</c> the revoke call takes.</summary>
    public long PatId { get; set; }

    public int TokenId { get; set; }
    public Token? Token { get; set; }

    public required string OwnerLogin { get; set; }
    public string? TokenName { get; set; }

    /// <summary>GitHub's <c>permissions</c> object (organization / repository / other: name → level), as canonical JSON.</summary>
    public required string Permissions { get; set; }

    /// <summary><c>repository_selection</c>: none, all or subset.</summary>
    public string? RepositorySelection { get; set; }

    /// <summary>The repositories ("owner/name", JSON array, sorted) of a "subset" selection; null for none or all.</summary>
    public string? Repositories { get; set; }

    public DateTimeOffset? AccessGrantedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset FirstSyncedAt { get; set; }
    public DateTimeOffset LastSyncedAt { get; set; }

    /// <summary>When a sync no longer found it (revoked, expired, or its owner deleted it); null while it is listed.</summary>
    public DateTimeOffset? GoneAt { get; set; }

    /// <summary>The organisation's access revoked from the dashboard (token page, attestation): queued here, sent once.</summary>
    public DateTimeOffset? RevokeRequestedAt { get; set; }
    public string? RevokeRequestedBy { get; set; }
    public DateTimeOffset? RevokeSentAt { get; set; }
    public int RevokeAttempts { get; set; }
    public DateTimeOffset? RevokeNextAttemptAt { get; set; }
    public string? RevokeError { get; set; }
}

/// <summary>Where a GitHub PAT request's decision stands on our side: waiting for our approvers, queued for GitHub, sent, or closed on
/// GitHub before we decided (nothing to send).</summary>
public enum PatRequestState { Waiting, Queued, Sent, Closed }

/// <summary>A pending request from <c>GET /orgs/{org}/personal-access-token-requests</c>: one that asks for write is decided in our
/// write-scope queue (<see cref="WriteScopeRequestId"/>); the decision goes back to GitHub once, durably (an outbox row).</summary>
public class GitHubPatRequest
{
    /// <summary>GitHub's request id.</summary>
    public long Id { get; set; }
    public required string Organization { get; set; }
    public long GitHubTokenId { get; set; }
    public int TokenId { get; set; }
    public required string OwnerLogin { get; set; }
    public required string Permissions { get; set; }
    public bool AsksWrite { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset SeenAt { get; set; }
    public int? WriteScopeRequestId { get; set; }
    public WriteScopeRequest? WriteScopeRequest { get; set; }

    public PatRequestState State { get; set; }

    /// <summary>"approve" or "deny", fixed when queued.</summary>
    public string? Action { get; set; }
    public string? Reason { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A SAML SSO credential authorisation (<c>GET /orgs/{org}/credential-authorizations</c>). Its <c>token_last_eight</c> is
/// compared in memory and never stored (the mask keeps four characters); a match links it to the leaked token.</summary>
public class GitHubCredentialAuthorization
{
    public required string Organization { get; set; }
    public long CredentialId { get; set; }
    public required string Login { get; set; }
    public string? CredentialType { get; set; }
    public string? Scopes { get; set; }
    public DateTimeOffset? AuthorizedAt { get; set; }
    public DateTimeOffset? AccessedAt { get; set; }
    public DateTimeOffset LastSyncedAt { get; set; }
    public DateTimeOffset? GoneAt { get; set; }

    /// <summary>The leaked inventory token this authorisation is of (same last eight characters and owner).</summary>
    public int? TokenId { get; set; }
    public DateTimeOffset? LinkedAt { get; set; }
}

/// <summary>The organisation sync's last run per organisation, for the Imports page.</summary>
public class GitHubOrgSyncState
{
    public required string Organization { get; set; }
    public DateTimeOffset? LastSyncAt { get; set; }
    public int Tokens { get; set; }
    public int PendingRequests { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
}
