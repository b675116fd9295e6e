using System.Globalization;
using GovernanceDashboard.Data;
using GovernanceDashboard.Demo;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Reporting;
using GovernanceDashboard.Settings;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Workflows;
using GovernanceDashboard.Workflows.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace GovernanceDashboard.Tests.Reporting;

/// <summary>The management report over the demo organisation on a real SQLite store, and its scheduled mailing through the
/// outbox to an in-test SMTP listener.</summary>
public class ManagementReportTests(ManagementReportTests.Seeded app) : IClassFixture<ManagementReportTests.Seeded>
{
    [Fact]
    public async Task A_30_day_report_draws_30_days_of_trend_and_its_figures_are_those_of_the_period()
    {
        var period = ReportPeriod.LastDays(app.Clock.GetUtcNow(), 30);
        var report = await app.Get<ManagementReports>().BuildAsync(period);

        // One point per day of the period, the running day included, and none outside it.
        var days = report.Trend.Select(s => DateOnly.FromDateTime(s.AsOf.UtcDateTime.AddMilliseconds(-1))).ToList();
        Assert.Equal(30, days.Distinct().Count());
        Assert.Equal(period.From, days.Min());
        Assert.Equal(period.To, days.Max());

        // The figures: as of now (the period is running), time to remediate over the period only.
        var expected = await app.Get<MetricsService>().ComputeAsync(app.Clock.GetUtcNow(), period.Start);
        Assert.Equal(expected.OwnerCoverage, report.Figures.OwnerCoverage);
        Assert.Equal(expected.TimeToRemediate, report.Figures.TimeToRemediate);
        Assert.NotEqual((await app.Get<MetricsService>().ComputeAsync(app.Clock.GetUtcNow())).TimeToRemediate.Count, report.Figures.TimeToRemediate.Count);
        Assert.Equal(await app.Get<MetricsService>().ComputeAsync(period.Start, period.Start) is var s ? s.Exposures.Open : -1, report.AtStart.Exposures.Open);
    }

    [Fact]
    public async Task A_past_period_is_reported_as_of_its_end()
    {
        var period = new ReportPeriod(new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30));
        var report = await app.Get<ManagementReports>().BuildAsync(period);

        Assert.Equal(period.End, report.AsOf);
        Assert.All(report.Trend, s => Assert.InRange(s.AsOf, period.Start.AddTicks(1), period.End));
        Assert.Equal(30, report.Trend.Count);
        Assert.False(report.ListsAreCurrent(app.Clock.GetUtcNow()));
        var expected = (await app.Get<MetricsService>().ComputeAsync(period.End, period.Start)).Exposures;
        Assert.Equal((expected.Total, expected.Open, expected.Breached), (report.Figures.Exposures.Total, report.Figures.Exposures.Open, report.Figures.Exposures.Breached));
    }

    [Fact]
    public async Task Teams_come_weakest_first_by_the_stated_rule_and_lists_load_one_page_with_their_total()
    {
        var report = await app.Get<ManagementReports>().BuildAsync(ReportPeriod.LastDays(app.Clock.GetUtcNow(), 30));

        Assert.True(report.Teams.Count >= 2);
        foreach (var (a, b) in report.Teams.Zip(report.Teams.Skip(1)))
        {
            var (ca, cb) = (a.Metrics.OwnerCoverage.Ratio ?? 1, b.Metrics.OwnerCoverage.Ratio ?? 1);
            Assert.True(ca < cb || (ca == cb && a.Metrics.Exposures.Breached >= b.Metrics.Exposures.Breached), $"{a.Team} before {b.Team}");
        }

        var inventory = app.Get<TokenInventory>();
        var orphaned = await inventory.ListAsync(new TokenFilter { Owner = "orphaned" }, 1, 500);
        Assert.Equal(orphaned.Total, report.Orphaned.Total);
        Assert.Equal(report.Figures.OwnerCoverage.Orphaned, report.Orphaned.Total);
        // Unowned active tokens: active minus owned minus orphaned, as the metrics count them.
        var o = report.Figures.OwnerCoverage;
        Assert.Equal(o.Active - o.Owned - o.Orphaned, report.Unowned.Total);
        Assert.Equal(report.Figures.WriteScope.WriteCapable - report.Figures.WriteScope.Justified, report.UnjustifiedWrite.Total);
        Assert.Equal(report.Figures.Exposures.Open, report.OpenExposures.Total);
        // Each list shows its first page only, however long it is.
        foreach (var (shown, total) in new[] { (report.Unowned.Items.Count, report.Unowned.Total), (report.Orphaned.Items.Count, report.Orphaned.Total),
                     (report.UnjustifiedWrite.Items.Count, report.UnjustifiedWrite.Total), (report.OpenExposures.Items.Count, report.OpenExposures.Total) })
            Assert.Equal(Math.Min(total, ManagementReports.ListRows), shown);
        Assert.Contains(new[] { report.Unowned.Total, report.Orphaned.Total, report.UnjustifiedWrite.Total }, t => t > ManagementReports.ListRows);
        Assert.Equal(report.Figures.Exposures.Breached, report.BreachesByTeam.Sum(t => t.Metrics.Exposures.Breached) + report.BreachesWithoutTeam);
    }

    [Fact]
    public async Task The_scheduled_report_is_mailed_once_with_the_report_pages_figures_its_lists_attached_and_an_audit_entry()
    {
        var now = app.Clock.GetUtcNow();
        var mailer = app.Get<ReportMailer>();
        // Off until there are recipients.
        Assert.Equal(0, await mailer.RunOnceAsync(now));

        var store = app.Get<SettingsStore>();
        var before = await store.LoadAsync();
        Assert.Equal(ReportSchedule.Monthly, before.ReportFrequency);
        // An owner without a reading role is not mailed (the figures are management's), even when listed.
        await using (var db = app.Db())
        {
            var owner = await db.People.FirstAsync(p => p.Active && p.Roles == Roles.None);
            await store.SaveAsync(before, before with { ReportRecipients = $"sec.auditor@acme.example, {owner.Email}" }, "sec.lead@acme.example");
        }

        Assert.Equal(1, await mailer.RunOnceAsync(now));
        Assert.Equal(0, await mailer.RunOnceAsync(now));
        Assert.Equal(1, await app.Get<SmtpOutboxSender>().RunOnceAsync(now));

        var (_, to, data) = Assert.Single(app.Smtp.Messages);
        Assert.Equal(["sec.auditor@acme.example"], to);
        using var message = await MimeMessage.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data)));
        var period = ReportSchedule.LastMonth(now);
        Assert.Equal($"Token governance report, {period.Text}", message.Subject);

        // The figures equal the report page's for the same period.
        var report = await app.Get<ManagementReports>().BuildAsync(period);
        var m = report.Figures;
        var body = message.TextBody;
        Assert.Contains($"Owner coverage: {Pct(m.OwnerCoverage.Ratio)} ({m.OwnerCoverage.Owned} of {m.OwnerCoverage.Active} active tokens owned", body, StringComparison.Ordinal);
        Assert.Contains($"Write-scope ratio: {Pct(m.WriteScope.Ratio)} ({m.WriteScope.WriteCapable} write-capable", body, StringComparison.Ordinal);
        Assert.Contains($"Open exposures: {m.Exposures.Open}, {m.Exposures.Breached} past SLA", body, StringComparison.Ordinal);
        Assert.Contains($"over {m.TimeToRemediate.Count} exposures remediated in the period", body, StringComparison.Ordinal);
        Assert.Contains($"Orphaned tokens (owner left): {report.Orphaned.Total}.", body, StringComparison.Ordinal);
        Assert.Contains($"/reports?from={ReportPeriod.Day(period.From)}&to={ReportPeriod.Day(period.To)}", body, StringComparison.Ordinal);

        // The lists as CSV: one row per item of each list, and nothing secret (masks only).
        var files = message.Attachments.OfType<MimePart>().ToDictionary(p => p.FileName ?? "", Text);
        Assert.Equal(["open-exposures.csv", "orphaned-tokens.csv", "teams.csv", "tokens-without-owner.csv", "write-without-grant.csv"], files.Keys.Order().ToArray());
        Assert.Equal(report.Orphaned.Total, Rows(files["orphaned-tokens.csv"]));
        Assert.Equal(report.Unowned.Total, Rows(files["tokens-without-owner.csv"]));
        Assert.Equal(report.UnjustifiedWrite.Total, Rows(files["write-without-grant.csv"]));
        Assert.Equal(report.OpenExposures.Total, Rows(files["open-exposures.csv"]));
        Assert.Equal(report.Teams.Count, Rows(files["teams.csv"]));
        Assert.StartsWith("team,", files["teams.csv"], StringComparison.Ordinal);
        Assert.StartsWith(report.Teams[0].Team + ",", files["teams.csv"].Split("\r\n")[1], StringComparison.Ordinal);

        // Audited, with who got it and who was skipped.
        await using (var db = app.Db())
        {
            var audit = await db.AuditEvents.SingleAsync(e => e.Kind == ReportMailer.AuditKind);
            Assert.Equal(ReportSchedule.AuditSubject(period), audit.Subject);
            Assert.Contains("sec.auditor@acme.example", audit.After, StringComparison.Ordinal);
            Assert.Contains("\"skipped\":[\"", audit.After, StringComparison.Ordinal);
        }

        // A restart reads what was sent from the store: the same period is not sent again.
        using (var restarted = await TestHost.StartAsync(app.Store, clock: new FakeTimeProvider(now.AddHours(1))))
            Assert.Equal(0, await restarted.Services.GetRequiredService<ReportMailer>().RunOnceAsync(now.AddHours(1)));
        Assert.True(await mailer.SentAsync(period));
        Assert.False(await mailer.SentAsync(ReportSchedule.LastMonth(now.AddMonths(1))));
    }

    private static string Pct(double? ratio) => GovernanceDashboard.Components.Shared.Format.Percent(ratio);

    private static string Text(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return System.Text.Encoding.UTF8.GetString(content.ToArray());
    }

    // Data rows of a CSV whose cells hold no line breaks (masks, names, figures).
    private static int Rows(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;

    /// <summary>The demo organisation on a real store, with a clock fixed at a known instant and SMTP pointed at a listener.</summary>
    public sealed class Seeded : IAsyncLifetime
    {
        private IHost? _host;

        public TestStore Store { get; } = new();
        public SmtpListener Smtp { get; } = new();
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 10, 30, 0, TimeSpan.Zero));

        public T Get<T>() where T : notnull => _host!.Services.GetRequiredService<T>();

        public GovernanceDbContext Db() => Get<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

        public async Task InitializeAsync()
        {
            _host = await TestHost.StartAsync(Store, new Dictionary<string, string?>
            {
                ["Smtp:Host"] = "127.0.0.1",
                ["Smtp:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
                ["Smtp:From"] = "governance@acme.test",
                ["Smtp:DashboardUrl"] = "https://governance.acme.test",
            }, Clock);
            await Get<DemoSeeder>().SeedAsync();
        }

        public async Task DisposeAsync()
        {
            _host?.Dispose();
            await Smtp.DisposeAsync();
            await Store.DisposeAsync();
        }
    }
}
