namespace GovernanceDashboard.Workflows.Approvals;

/// <summary>What an owner asks: write scope on one of their tokens, why, where, for how long.</summary>
public sealed record NewWriteScopeRequest(int TokenId, string? Justification, int? Days = null, RequestKind? Kind = null, string? Targets = null);

/// <summary>A column the request tables sort by, named as the query string names it ("?sort=-days"); <see cref="Default"/> is
/// each table's own order (waiting requests oldest first, the others newest first).</summary>
public enum RequestSortKey { Default, Asked, Token, Requester, Days, Status }

/// <summary>One approver's decision as shown in the history.</summary>
public sealed record DecisionView(string Decider, bool Approve, string? Comment, DateTimeOffset At);

/// <summary>A write-scope request with its token (mask only) and its decisions.</summary>
public sealed record RequestView(
    int Id, int TokenId, string TokenMask, TokenPlatform Platform, WriteCapability WriteCapability, string? Organizations,
    string Requester, string RequesterName, RequestKind Kind, string Justification, string? Targets, int Days, RequestStatus Status,
    DateTimeOffset CreatedAt, int RequiredApprovals, IReadOnlyList<DecisionView> Decisions, DateTimeOffset? DecidedAt,
    string? DecisionComment, DateTimeOffset? EscalatedAt, DateTimeOffset? GrantExpiresAt, Guid Version)
{
    public int Approvals => Decisions.Count(d => d.Approve);
}
