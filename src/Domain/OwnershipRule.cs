namespace GovernanceDashboard.Domain;

/// <summary>owners-csv rule: every token of this platform account is owned by this person.</summary>
public class OwnershipRule
{
    public int Id { get; set; }
    public TokenPlatform Platform { get; set; }
    public required string Account { get; set; }
    public required string OwnerEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
