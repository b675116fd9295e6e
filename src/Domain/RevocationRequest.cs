namespace GovernanceDashboard.Domain;

/// <summary>Where a queued revocation stands: waiting (or claimed by a sender), accepted by the platform, last attempt
/// failed (retried at <see cref="RevocationRequest.NextAttemptAt"/>), or cancelled because the exposure closed otherwise.</summary>
public enum RevocationState { Queued, Sent, Failed, Cancelled }

/// <summary>One exposure's token queued for its platform's revocation API. The queue lives in the store so that a restart,
/// a crash or a platform outage loses nothing; the secret itself is read from the exposure's escrow at sending time.</summary>
public class RevocationRequest
{
    public long Id { get; set; }
    public int ExposureId { get; set; }
    public Exposure? Exposure { get; set; }
    public int TokenId { get; set; }
    public TokenPlatform Platform { get; set; }
    public RevocationState State { get; set; }
    public int Attempts { get; set; }

    /// <summary>Not before this instant; a sender that claims the request moves it past the call's timeout, so a crashed
    /// sender's claim lapses and the request is sent again (the platforms' revocation is idempotent).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed: status code or kind of fault, never the secret nor the platform's body.</summary>
    public string? LastError { get; set; }

    /// <summary>Who asked: a person's email, "cli:…", or "policy:auto-revoke" for the automatic policy.</summary>
    public required string RequestedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When GitHub's webhook about the alert that opened the exposure arrived (pushed alerts only): with
    /// <see cref="SentAt"/>, how fast a leak was revoked after GitHub saw it.</summary>
    public DateTimeOffset? AlertReceivedAt { get; set; }
}

/// <summary>One HTTP call to a platform's revocation API, written before the call is made: GitHub allows 60 an hour, and
/// counting them in the store keeps the limit across restarts and processes.</summary>
public class RevocationCall
{
    public long Id { get; set; }
    public TokenPlatform Platform { get; set; }
    public DateTimeOffset At { get; set; }
    public int Credentials { get; set; }
}
