namespace GovernanceDashboard.Domain;

public enum RequestStatus { Pending, Approved, Rejected, Cancelled }

/// <summary>An owner's request to hold write scope on a token, with its justification.</summary>
public class WriteScopeRequest
{
    public int Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }
    public int RequesterId { get; set; }
    public Person? Requester { get; set; }
    public required string Justification { get; set; }
    public string? Targets { get; set; }
    public int Days { get; set; }
    public RequestStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int? DeciderId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionComment { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>Optimistic concurrency: two approvers deciding at once, exactly one wins.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>An approved, time-limited justification for a token's write scope.</summary>
public class WriteScopeGrant
{
    public int Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }
    public int RequestId { get; set; }
    public DateTimeOffset ApprovedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }

    public bool CoversAt(DateTimeOffset asOf) =>
        ApprovedAt <= asOf && ExpiresAt > asOf && (WithdrawnAt is not { } w || w > asOf);
}
