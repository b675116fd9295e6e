using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace GovernanceDashboard.Workflows.Notifications;

/// <summary>The <c>Smtp</c> configuration section; mail is off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string From { get; set; } = "token-governance@localhost";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool EnableSsl { get; set; }

    /// <summary>The dashboard's public address, to turn the messages' links into absolute ones (e.g. https://governance.example.com).</summary>
    public string? DashboardUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Mails the outbox's unsent messages over SMTP (MailKit) when it is configured; the in-app list works without it.</summary>
public sealed class SmtpOutboxSender(IDbContextFactory<GovernanceDbContext> dbFactory, IOptionsMonitor<SmtpOptions> smtp,
    IOptions<WorkflowScheduleOptions> schedule, TimeProvider clock, ILogger<SmtpOutboxSender> logger)
    : PeriodicWorkflowService(clock, logger)
{
    /// <summary>After this many failures a message stays in the app only (its last error is kept).</summary>
    public const int MaxAttempts = 5;

    private const int Batch = 100;

    protected override TimeSpan Interval => schedule.Value.MailInterval;

    public override async Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var options = smtp.CurrentValue;
        if (!options.Enabled) return 0;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.Notifications.Include(n => n.Person).Include(n => n.Attachments)
            .Where(n => n.SentAt == null && n.SendAttempts < MaxAttempts)
            .OrderBy(n => n.Id).Take(Batch).AsSplitQuery().ToListAsync(ct);
        if (pending.Count == 0) return 0;

        using var client = new SmtpClient { Timeout = 30_000 };
        if (await ConnectAsync(client, options, ct) is { } refused)
        {
            // Nothing could be sent this round: each message counts the attempt, so a server that never answers ends in
            // "in the app only" rather than in an endless retry.
            foreach (var n in pending) Failed(n, refused);
            await db.SaveChangesAsync(ct);
            return 0;
        }

        var sent = 0;
        foreach (var n in pending)
        {
            if (n.Person is not { Active: true } person)
            {
                n.SendAttempts = MaxAttempts;
                n.LastError = "the person is no longer active";
            }
            else
            {
                try
                {
                    using var message = MessageOf(n, person.Email, options);
                    await client.SendAsync(message, ct);
                    n.SentAt = now;
                    sent++;
                }
                catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
                    or ParseException or FormatException or IOException)
                {
                    Failed(n, ex.Message);
                    // A broken connection is not the next message's fault: reconnect before it.
                    if (!client.IsConnected && await ConnectAsync(client, options, ct) is { } again)
                    {
                        foreach (var rest in pending.Where(m => m.SentAt == null && m != n && m.Id > n.Id)) Failed(rest, again);
                        await db.SaveChangesAsync(ct);
                        return sent;
                    }
                }
            }
            // Saved one by one: a crash half-way must not mail the same message twice.
            await db.SaveChangesAsync(ct);
        }
        await client.DisconnectAsync(quit: true, ct);
        return sent;
    }

    /// <summary>Connects and signs in; returns why not, or null when connected.</summary>
    private async Task<string?> ConnectAsync(SmtpClient client, SmtpOptions options, CancellationToken ct)
    {
        try
        {
            // EnableSsl: TLS from the first byte on 465 (SMTPS), STARTTLS required elsewhere; otherwise plain, as before.
            var security = !options.EnableSsl ? SecureSocketOptions.None
                : options.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(options.Host!, options.Port, security, ct);
            if (!string.IsNullOrEmpty(options.UserName)) await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
            return null;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or SmtpCommandException or SmtpProtocolException
            or AuthenticationException or System.Security.Authentication.AuthenticationException or SslHandshakeException)
        {
            logger.LogWarning("SMTP server {Host}:{Port} unavailable: {Error}", options.Host, options.Port, ex.Message);
            return ex.Message;
        }
    }

    private void Failed(Notification n, string error)
    {
        n.SendAttempts++;
        n.LastError = error.Length > 1000 ? error[..1000] : error;
        logger.LogWarning("Mail to person {PersonId} failed (attempt {Attempt}): {Error}", n.PersonId, n.SendAttempts, error);
    }

    /// <summary>The message as mailed: its text with the absolute link, and its files as attachments.</summary>
    public static MimeMessage MessageOf(Notification n, string to, SmtpOptions options)
    {
        var message = new MimeMessage { Subject = n.Subject };
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(to));
        // Quoted-printable UTF-8: masks carry "…" and stay readable in every client.
        var text = new TextPart(MimeKit.Text.TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        text.SetText(System.Text.Encoding.UTF8, BodyOf(n.Body, n.Link, options.DashboardUrl));
        if (n.Attachments.Count == 0)
        {
            message.Body = text;
            return message;
        }
        var mixed = new Multipart("mixed") { text };
        foreach (var a in n.Attachments)
            mixed.Add(new MimePart(ContentType.Parse(a.ContentType))
            {
                Content = new MimeContent(new MemoryStream(a.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = a.FileName,
            });
        message.Body = mixed;
        return message;
    }

    private static string BodyOf(string body, string? link, string? dashboardUrl)
    {
        if (link is null) return body;
        var target = string.IsNullOrWhiteSpace(dashboardUrl) ? link : dashboardUrl.TrimEnd('/') + link;
        return body + "\r\n\r\n" + target;
    }
}
