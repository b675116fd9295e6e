namespace GovernanceDashboard.Workflows.Ownership;

/// <summary>A token on "My tokens": owned or suggested, with what its owner needs to act on it (masks only).</summary>
public sealed record MyTokenView(
    int Id, string Mask, TokenPlatform Platform, TokenKind Kind, TokenStatus Status, WriteCapability WriteCapability,
    string? Account, string? Organizations, string? Scopes, bool Owned, bool Suggested, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string? RevocationNote, DateTimeOffset? RevocationRequestedAt,
    int OpenExposures, DateTimeOffset? GrantExpiresAt, int? PendingRequestId, string? PendingTransferTo)
{
    public bool Justified => GrantExpiresAt is not null;
    public bool Live => Status is TokenStatus.Active or TokenStatus.Exposed;
}

/// <summary>A pending hand-over of a token, as the giver or the receiver sees it.</summary>
public sealed record TransferView(int Id, int TokenId, string TokenMask, string From, string To, string? Message, TransferStatus Status, DateTimeOffset RequestedAt);

/// <summary>One exposure of a token, for its owner.</summary>
public sealed record TokenExposureView(int Id, DateTimeOffset DetectedAt, Severity Severity, ExposureState State, DateTimeOffset? RemediatedAt,
    string? RemediatedBy, DateTimeOffset? DismissedAt, string? DismissalReason, IReadOnlyList<string> Places);

/// <summary>Someone who can receive a token.</summary>
public sealed record PersonChoice(int Id, string Email, string DisplayName, string? Team);
