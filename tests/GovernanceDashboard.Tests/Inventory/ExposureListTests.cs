using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Inventory;

public class ExposureListTests
{
    [Fact]
    public async Task Open_exposures_come_by_SLA_deadline_across_severities_page_by_page()
    {
        await using var store = await new TestStore().MigrateAsync();
        var now = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        // Deadlines (default SLAs): low 800 h ago + 720 h = 80 h ago; medium 200 h ago + 168 h = 32 h ago;
        // critical 30 h ago + 24 h = 6 h ago; high 10 h ago + 72 h = in 62 h.
        var cases = new (Severity Severity, double HoursAgo)[] { (Severity.Critical, 30), (Severity.Low, 800), (Severity.High, 10), (Severity.Medium, 200) };
        await using (var db = store.Factory.CreateDbContext())
        {
            var i = 0;
            foreach (var (severity, ago) in cases)
            {
                var token = new Token { Identity = $"s:{++i}", Mask = $"m{severity}", FirstSeenAt = now.AddHours(-ago), LastSeenAt = now };
                token.Exposures.Add(new Exposure { DetectedAt = now.AddHours(-ago), Severity = severity, State = ExposureState.Open });
                db.Tokens.Add(token);
            }
            db.Tokens.Add(new Token { Identity = "s:closed", Mask = "closed", FirstSeenAt = now, LastSeenAt = now,
                Exposures = [new Exposure { DetectedAt = now.AddHours(-1000), Severity = Severity.Critical, State = ExposureState.Remediated, RemediatedAt = now.AddHours(-999) }] });
            await db.SaveChangesAsync();
        }
        var list = new ExposureList(store.Factory, new FakeTimeProvider(now));

        var first = await list.ListAsync(new ExposureFilter { State = ExposureState.Open }, 1, 2);
        var second = await list.ListAsync(new ExposureFilter { State = ExposureState.Open }, 2, 2);
        Assert.Equal(4, first.Total);
        Assert.Equal([Severity.Low, Severity.Medium], first.Items.Select(e => e.Severity));
        Assert.Equal([Severity.Critical, Severity.High], second.Items.Select(e => e.Severity));
        Assert.Equal([true, true], first.Items.Select(e => e.Breached));
        Assert.Equal(62, second.Items[1].HoursLeft, 6);

        var closed = await list.ListAsync(new ExposureFilter { ClosedOnly = true }, 1, 10);
        Assert.Equal(1, (int)closed.Items.Single().TtrHours!.Value);
    }
}
