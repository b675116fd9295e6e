namespace GovernanceDashboard.Domain;

/// <summary>A message to a person (new exposure of their token, request decided, attestation due, grant expiring):
/// shown in the app, and sent by e-mail when SMTP is configured. The outbox is this table.</summary>
public class Notification
{
    public long Id { get; set; }
    public int PersonId { get; set; }
    public Person? Person { get; set; }
    public required string Kind { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }

    /// <summary>A page of the dashboard the message is about, e.g. /tokens/42.</summary>
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int SendAttempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>Files mailed with the message (none for most kinds); the in-app list shows the message without them.</summary>
    public List<NotificationAttachment> Attachments { get; set; } = [];
}
