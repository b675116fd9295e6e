namespace GovernanceDashboard.Domain;

/// <summary>An append-only, hash-chained record of one state change: who, when, what, before and after.</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Kind { get; set; }
    public string? Subject { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}
