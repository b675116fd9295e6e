namespace GovernanceDashboard.Domain;

/// <summary>One distinct credential: identified by the keyed hash of its value, or for a finding
/// without a value (masked SARIF, hidden GitHub alert) by where it was found.</summary>
public class Token
{
    public int Id { get; set; }

    /// <summary>"s:" + HMAC-SHA-256 of the secret, or "u:" + HMAC of the location key. Never the secret.</summary>
    public required string Identity { get; set; }

    /// <summary>False when no scanner ever gave the value: it cannot merge with other findings nor be revoked by API.</summary>
    public bool Identified { get; set; }

    /// <summary>Prefix and last four characters (hf_…x9Qz), or "secret not available".</summary>
    public required string Mask { get; set; }

    public TokenPlatform Platform { get; set; }
    public TokenKind Kind { get; set; }
    public string? Detector { get; set; }
    public string? Account { get; set; }

    /// <summary>Comma-separated organisations (Hugging Face "org:role" pairs keep their role).</summary>
    public string? Organizations { get; set; }

    /// <summary>Comma-separated scopes or permissions as the platform reports them.</summary>
    public string? Scopes { get; set; }

    /// <summary>Hugging Face token role (read, write, fineGrained).</summary>
    public string? Role { get; set; }

    public WriteCapability WriteCapability { get; set; }

    public int? OwnerId { get; set; }
    public Person? Owner { get; set; }
    public DateTimeOffset? OwnerConfirmedAt { get; set; }

    /// <summary>How the confirmed owner was set: an owners-csv rule follows its rule; a person's choice is kept.</summary>
    public OwnerSource OwnerSource { get; set; }
    public int? SuggestedOwnerId { get; set; }
    public Person? SuggestedOwner { get; set; }

    /// <summary>Current status, kept in step with exposures and revocation for filtering; metrics recompute it as of any instant.</summary>
    public TokenStatus Status { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Earliest evidence that the token was revoked or rotated away.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>How it went away: "revoked", "rotated", "GitHub alert resolved as revoked", "revocation API"...</summary>
    public string? RevocationNote { get; set; }

    /// <summary>Set when an owner's attestation (or an analyst) asked for this token to be revoked; cleared on revocation.</summary>
    public DateTimeOffset? RevocationRequestedAt { get; set; }

    /// <summary>The blast-radius score over the artefacts it can write (<see cref="TokenReach"/>), as last computed by
    /// <c>BlastRadiusRule</c>; shown as 0 once the token is read-only, revoked or expired (docs/metrics.md "Blast radius").</summary>
    public double BlastRadius { get; set; }

    /// <summary>When an enrichment last read everything the token reaches; null while none completed (one cut short by a rate
    /// limit keeps what it read but leaves this alone, so the next pass tries again).</summary>
    public DateTimeOffset? ReachEnrichedAt { get; set; }

    /// <summary>The import that first saw this token (null for tokens made otherwise, e.g. the demo).</summary>
    public int? CreatedImportId { get; set; }

    public List<Occurrence> Occurrences { get; set; } = [];
    public List<Exposure> Exposures { get; set; } = [];

    public TokenStatus StatusAt(DateTimeOffset asOf, bool hasOpenExposure) =>
        Rules.TokenStatusRule.At(RevokedAt ?? DateTimeOffset.MaxValue, ExpiresAt ?? DateTimeOffset.MaxValue, asOf, hasOpenExposure);
}
