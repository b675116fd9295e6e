namespace GovernanceDashboard.Domain;

public enum RequestStatus { Pending, Approved, Rejected, Cancelled }

/// <summary>Whether the owner asks for write scope, or declares (and justifies) write scope the token already has.</summary>
public enum RequestKind { Request, Declare }

/// <summary>An owner's request to hold write scope on a token, with its justification.</summary>
public class WriteScopeRequest
{
    public int Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }
    public int RequesterId { get; set; }
    public Person? Requester { get; set; }
    public RequestKind Kind { get; set; }
    public required string Justification { get; set; }
    public string? Targets { get; set; }
    public int Days { get; set; }
    public RequestStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int? DeciderId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionComment { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>Approvals needed (two for tokens of critical organisations when the setting asks for it).</summary>
    public int RequiredApprovals { get; set; } = 1;
    public List<WriteScopeDecision> Decisions { get; set; } = [];

    /// <summary>Optimistic concurrency: two approvers deciding at once, exactly one wins.</summary>
    public Guid Version { get; set; } = Guid.NewGuid();
}

/// <summary>One approver's decision on a request (two are kept when two approvals are required).</summary>
public class WriteScopeDecision
{
    public int Id { get; set; }
    public int RequestId { get; set; }
    public WriteScopeRequest? Request { get; set; }
    public int DeciderId { get; set; }
    public Person? Decider { get; set; }
    public bool Approve { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset At { get; set; }
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

    /// <summary>When the expiry service recorded (audited, notified) that this grant ran out.</summary>
    public DateTimeOffset? ExpiryRecordedAt { get; set; }

    /// <summary>When the owner was warned that the grant is about to expire.</summary>
    public DateTimeOffset? ExpiryWarnedAt { get; set; }

    public bool CoversAt(DateTimeOffset asOf) =>
        Rules.GrantInForceRule.InForceAt(ApprovedAt, ExpiresAt, WithdrawnAt ?? DateTimeOffset.MaxValue, asOf);
}
