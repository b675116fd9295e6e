using System.Net;
using System.Net.Mail;
using GovernanceDashboard.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

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

/// <summary>Mails the outbox's unsent messages over SMTP when it is configured; the in-app list works without it.</summary>
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
        var pending = await db.Notifications.Include(n => n.Person)
            .Where(n => n.SentAt == null && n.SendAttempts < MaxAttempts)
            .OrderBy(n => n.Id).Take(Batch).ToListAsync(ct);
        if (pending.Count == 0) return 0;

        using var client = new SmtpClient(options.Host, options.Port) { EnableSsl = options.EnableSsl, Timeout = 30_000 };
        if (!string.IsNullOrEmpty(options.UserName))
            client.Credentials = new NetworkCredential(options.UserName, options.Password);

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
                    using var message = new MailMessage(options.From, person.Email, n.Subject, BodyOf(n.Body, n.Link, options.DashboardUrl))
                    {
                        // Masks carry "…": UTF-8 keeps them readable in every client.
                        SubjectEncoding = System.Text.Encoding.UTF8,
                        BodyEncoding = System.Text.Encoding.UTF8,
                        BodyTransferEncoding = System.Net.Mime.TransferEncoding.QuotedPrintable,
                    };
                    await client.SendMailAsync(message, ct);
                    n.SentAt = now;
                    sent++;
                }
                catch (Exception ex) when (ex is SmtpException or InvalidOperationException or FormatException or IOException)
                {
                    n.SendAttempts++;
                    n.LastError = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
                    logger.LogWarning("Mail to person {PersonId} failed (attempt {Attempt}): {Error}", n.PersonId, n.SendAttempts, ex.Message);
                }
            }
            // Saved one by one: a crash half-way must not mail the same message twice.
            await db.SaveChangesAsync(ct);
        }
        return sent;
    }

    private static string BodyOf(string body, string? link, string? dashboardUrl)
    {
        if (link is null) return body;
        var target = string.IsNullOrWhiteSpace(dashboardUrl) ? link : dashboardUrl.TrimEnd('/') + link;
        return body + "\r\n\r\n" + target;
    }
}
