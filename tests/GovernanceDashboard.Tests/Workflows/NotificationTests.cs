using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows.Notifications;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The outbox: exposure notices for the import hook, reading one's own messages, and mail over a real SMTP conversation.</summary>
public class NotificationTests
{
    [Fact]
    public async Task An_exposure_is_announced_to_the_tokens_owner_once_however_often_the_hook_runs()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var ada = await h.PersonAsync("ada");
        var owned = await h.TokenAsync(ada);
        var unowned = await h.TokenAsync(null);
        await h.ExposureAsync(owned, h.Clock.GetUtcNow().AddHours(-1));
        await h.ExposureAsync(unowned, h.Clock.GetUtcNow().AddHours(-1));
        var notifier = h.Get<Notifier>();

        Assert.Equal(1, await notifier.NotifyExposuresOpenedAsync([owned.Id, unowned.Id, owned.Id]));
        Assert.Equal(0, await notifier.NotifyExposureOpenedAsync(owned.Id));

        var message = Assert.Single(await h.NotificationsAsync(ada, NotificationKinds.ExposureOpened));
        Assert.Contains(owned.Mask, message.Subject, StringComparison.Ordinal);
        Assert.StartsWith("/my-tokens?token=", message.Link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_reads_their_own_messages_and_cannot_touch_anyone_elses()
    {
        await using var h = await WorkflowHarness.StartAsync();
        var ada = await h.PersonAsync("ada");
        var ben = await h.PersonAsync("ben");
        await using (var db = h.Db())
        {
            Notifier.Add(db, ada.Id, "test", "one", "body", null, h.Clock.GetUtcNow());
            Notifier.Add(db, ada.Id, "test", "two", "body", null, h.Clock.GetUtcNow());
            Notifier.Add(db, ben.Id, "test", "bens", "body", null, h.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var notifier = h.Get<Notifier>();
        var adas = await notifier.ForPersonAsync(ada.Id);
        var bens = Assert.Single(await notifier.ForPersonAsync(ben.Id));

        Assert.Equal(["two", "one"], adas.Select(n => n.Subject));
        Assert.False(await notifier.MarkReadAsync(ada.Id, bens.Id));
        Assert.True(await notifier.MarkReadAsync(ada.Id, adas[0].Id));
        Assert.Equal(1, await notifier.UnreadCountAsync(ada.Id));
        Assert.Equal(1, await notifier.MarkAllReadAsync(ada.Id));
        Assert.Equal(0, await notifier.UnreadCountAsync(ada.Id));
        Assert.Equal(1, await notifier.UnreadCountAsync(ben.Id));
    }

    [Fact]
    public async Task With_smtp_configured_the_outbox_is_mailed_once_to_each_person()
    {
        await using var smtp = new SmtpListener();
        await using var h = await WorkflowHarness.StartAsync(new()
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:From"] = "governance@acme.test",
            ["Smtp:DashboardUrl"] = "https://governance.acme.test/",
        });
        var ada = await h.PersonAsync("ada");
        await using (var db = h.Db())
        {
            Notifier.Add(db, ada.Id, NotificationKinds.GrantExpiring, "Write-scope grant expires soon", "Ask again if still needed.", "/my-tokens", h.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var sender = h.Get<SmtpOutboxSender>();

        Assert.Equal(1, await sender.RunOnceAsync(h.Clock.GetUtcNow()));
        Assert.Equal(0, await sender.RunOnceAsync(h.Clock.GetUtcNow()));

        var (from, to, data) = Assert.Single(smtp.Messages);
        Assert.Equal("governance@acme.test", from);
        Assert.Equal([ada.Email], to);
        Assert.Contains("Subject: Write-scope grant expires soon", data, StringComparison.Ordinal);
        Assert.Contains("https://governance.acme.test/my-tokens", QuotedPrintable(data), StringComparison.Ordinal);
        var stored = Assert.Single(await h.NotificationsAsync(ada));
        Assert.Equal(h.Clock.GetUtcNow(), stored.SentAt);
    }

    /// <summary>Undoes the body's quoted-printable transfer encoding (soft line breaks and =XX bytes).</summary>
    private static string QuotedPrintable(string data)
    {
        var joined = data.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>();
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    [Fact]
    public async Task Without_an_smtp_host_nothing_is_mailed_and_a_failing_server_is_retried_then_given_up()
    {
        await using (var off = await WorkflowHarness.StartAsync())
        {
            var ada = await off.PersonAsync("ada");
            await using (var db = off.Db())
            {
                Notifier.Add(db, ada.Id, "test", "hello", "body", null, off.Clock.GetUtcNow());
                await db.SaveChangesAsync();
            }
            Assert.Equal(0, await off.Get<SmtpOutboxSender>().RunOnceAsync(off.Clock.GetUtcNow()));
            Assert.Null(Assert.Single(await off.NotificationsAsync(ada)).SentAt);
        }

        // A port nobody listens on: every attempt fails, is counted, and after the last one the message stays in the app only.
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var h = await WorkflowHarness.StartAsync(new() { ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var ben = await h.PersonAsync("ben");
        await using (var db = h.Db())
        {
            Notifier.Add(db, ben.Id, "test", "hello", "body", null, h.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var sender = h.Get<SmtpOutboxSender>();
        for (var i = 0; i < SmtpOutboxSender.MaxAttempts + 2; i++) Assert.Equal(0, await sender.RunOnceAsync(h.Clock.GetUtcNow()));
        var stored = Assert.Single(await h.NotificationsAsync(ben));
        Assert.Equal(SmtpOutboxSender.MaxAttempts, stored.SendAttempts);
        Assert.NotNull(stored.LastError);
        Assert.Null(stored.SentAt);
    }
}
