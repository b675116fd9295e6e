namespace GovernanceDashboard.Domain;

public enum TransferStatus { Pending, Accepted, Declined, Cancelled }

/// <summary>An owner hands a token to another person, who accepts or declines.</summary>
public class OwnershipTransfer
{
    public int Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }
    public int FromPersonId { get; set; }
    public int ToPersonId { get; set; }
    public Person? ToPerson { get; set; }
    public string? Message { get; set; }
    public TransferStatus Status { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}
