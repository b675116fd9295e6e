using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Values;
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

    [Fact]
    public async Task Each_column_sorts_both_ways_in_the_store_and_pages_never_overlap()
    {
        await using var store = await new TestStore().MigrateAsync();
        var now = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var db = store.Factory.CreateDbContext())
        {
            var zoe = new Person { Email = "a.zoe@example.org", DisplayName = "Zoe Zed" };
            var ada = new Person { Email = "z.ada@example.org", DisplayName = "Ada Lovelace" };
            // Open: (mask, owner, severity, hours ago detected).
            var open = new (string Mask, Person? Owner, Severity Severity, double Ago)[]
            {
                ("A", zoe, Severity.Critical, 30), ("B", null, Severity.Low, 800), ("C", ada, Severity.High, 10), ("D", zoe, Severity.High, 200), ("E", ada, Severity.Low, 5),
            };
            foreach (var (mask, owner, severity, ago) in open)
                db.Tokens.Add(new Token { Identity = $"s:{mask}", Mask = mask, Owner = owner, FirstSeenAt = now.AddHours(-ago), LastSeenAt = now,
                    Exposures = [new Exposure { DetectedAt = now.AddHours(-ago), Severity = severity, State = ExposureState.Open }] });
            // Closed: (mask, detected hours ago, closed hours ago, dismissed?).
            foreach (var (mask, detected, closed, dismissed) in new[] { ("X", 100.0, 90.0, false), ("Y", 50.0, 1.0, true), ("Z", 300.0, 40.0, false) })
                db.Tokens.Add(new Token { Identity = $"s:{mask}", Mask = mask, FirstSeenAt = now.AddHours(-detected), LastSeenAt = now,
                    Exposures = [new Exposure { DetectedAt = now.AddHours(-detected), Severity = Severity.High,
                        State = dismissed ? ExposureState.Dismissed : ExposureState.Remediated,
                        RemediatedAt = dismissed ? null : now.AddHours(-closed), DismissedAt = dismissed ? now.AddHours(-closed) : null }] });
            await db.SaveChangesAsync();
        }
        var list = new ExposureList(store.Factory, new FakeTimeProvider(now));
        var openOnly = new ExposureFilter { State = ExposureState.Open };
        async Task<string> Masks(ExposureFilter filter, string sort)
        {
            // Two pages of two and one of the rest: the order holds across pages and no row shows twice.
            var parsed = ListSort<ExposureSortKey>.Parse(sort);
            var pages = new List<ExposureRow>();
            for (var page = 1; page <= 3; page++) pages.AddRange((await list.ListAsync(filter, page, 2, parsed)).Items);
            return string.Concat(pages.Select(e => e.Mask));
        }

        Assert.Equal("BDACE", await Masks(openOnly, "detected"));
        Assert.Equal("ECADB", await Masks(openOnly, "-detected"));
        Assert.Equal("ADCBE", await Masks(openOnly, "-severity"));
        Assert.Equal("BEDCA", await Masks(openOnly, "severity"));
        // By name (Ada before Zoe, not by address), no owner last both ways.
        Assert.Equal("CEDAB", await Masks(openOnly, "owner"));
        Assert.Equal("DACEB", await Masks(openOnly, "-owner"));
        // SLA deadlines (default targets): D 128 h ago, B 80 h ago, A 6 h ago, C in 62 h, E in 715 h.
        Assert.Equal("DBACE", await Masks(openOnly, "sla"));
        Assert.Equal("ECABD", await Masks(openOnly, "-sla"));
        Assert.Equal(await Masks(openOnly, "sla"), await Masks(openOnly, "nonsense"));

        var closedOnly = new ExposureFilter { ClosedOnly = true };
        Assert.Equal("YZX", await Masks(closedOnly, ""));
        Assert.Equal("XZY", await Masks(closedOnly, "closed"));
        Assert.Equal("YZX", await Masks(closedOnly, "-closed"));
        Assert.Equal("ZXY", await Masks(closedOnly, "detected"));
        Assert.Equal("YXZ", await Masks(closedOnly, "-state"));
        Assert.Equal("Y", (await Masks(closedOnly, "state"))[^1..]);
    }

    [Theory]
    [InlineData("detected", ExposureSortKey.Detected, false, "detected")]
    [InlineData("-SLA", ExposureSortKey.Sla, true, "-sla")]
    [InlineData(" owner ", ExposureSortKey.Owner, false, "owner")]
    [InlineData("-", ExposureSortKey.Default, false, null)]
    [InlineData("mask", ExposureSortKey.Default, false, null)]
    [InlineData("-3", ExposureSortKey.Default, false, null)]
    [InlineData(null, ExposureSortKey.Default, false, null)]
    public void The_query_string_sort_reads_and_writes_back(string? text, ExposureSortKey key, bool descending, string? value)
    {
        var sort = ListSort<ExposureSortKey>.Parse(text);
        Assert.Equal((key, descending), (sort.Key, sort.Descending));
        Assert.Equal(value, sort.Value);
    }
}
