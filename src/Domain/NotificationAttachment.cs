namespace GovernanceDashboard.Domain;

/// <summary>A file mailed with a notification (the scheduled report's lists as CSV). It holds masks and figures only,
/// never a secret; it is kept with its message so a mailing that fails is retried with the same files after a restart.</summary>
public class NotificationAttachment
{
    public long Id { get; set; }
    public long NotificationId { get; set; }
    public Notification? Notification { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
}
