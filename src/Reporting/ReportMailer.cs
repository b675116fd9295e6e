namespace GovernanceDashboard.Reporting;

/// <summary>Mails the management report of the last complete period to its recipients, once per period: the headline
/// figures and their change in the body, the lists as CSV attachments, a link to the live report. It goes through the
/// notification outbox (which <see cref="SmtpOutboxSender"/> mails and retries), so a restart loses nothing; which
/// periods were sent is read from the audit trail, so a restart never sends one twice.</summary>
public sealed class ReportMailer(IDbContextFactory<GovernanceDbContext> dbFactory, ManagementReports reports, TokenInventory inventory,
    ExposureList exposures, IOptions<WorkflowScheduleOptions> schedule, TimeProvider clock, ILogger<ReportMailer> logger)
    : PeriodicWorkflowService(clock, logger)
{
    public const string AuditKind = "report.mailed";
    public const string Actor = "system:report-schedule";

    protected override TimeSpan Interval => schedule.Value.Interval;

    /// <summary>Queues the report of the last complete period when it is due and was not sent; returns how many recipients it went to.</summary>
    public override async Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        GovernanceSettings settings;
        await using (var db = await dbFactory.CreateDbContextAsync(ct)) settings = await GovernanceSettings.LoadAsync(db, ct);
        var addresses = ReportSchedule.Recipients(settings.ReportRecipients);
        if (addresses.Count == 0 || ReportSchedule.LastComplete(settings.ReportFrequency, now) is not { } period) return 0;
        if (await SentAsync(period, ct)) return 0;

        var report = await reports.BuildAsync(period, ct);
        var attachments = await AttachmentsAsync(report, ct);
        var subject = $"Token governance report, {period.Text}";
        var body = Body(report, settings);
        var link = $"/reports?from={ReportPeriod.Day(period.From)}&to={ReportPeriod.Day(period.To)}";

        return await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Checked again under the writer lock: two instances on one store send it once.
            if (await db.AuditEvents.AnyAsync(e => e.Kind == AuditKind && e.Subject == ReportSchedule.AuditSubject(period), ct)) return 0;
            // Only active people who may read reports get it: the list is an Admin's, but the figures are not for everyone.
            var people = await db.People.Where(p => addresses.Contains(p.Email) && p.Active
                && (p.Roles & (Roles.Admin | Roles.Analyst | Roles.Approver | Roles.Auditor)) != 0).ToListAsync(ct);
            foreach (var person in people)
            {
                Notifier.Add(db, person.Id, NotificationKinds.ReportMailed, subject, body, link, now);
                var notification = db.ChangeTracker.Entries<Notification>().Last().Entity;
                notification.Attachments.AddRange(attachments.Select(a => new NotificationAttachment
                {
                    FileName = a.FileName, ContentType = "text/csv; charset=utf-8", Content = a.Content,
                }));
            }
            var skipped = addresses.Except(people.Select(p => p.Email), StringComparer.Ordinal).ToList();
            await AuditTrail.AppendAsync(db, Actor, AuditKind, ReportSchedule.AuditSubject(period), after: new
            {
                period = period.Text,
                recipients = people.Select(p => p.Email).ToList(),
                skipped,
                activeTokens = report.Figures.Tokens.Active,
                ownerCoverage = report.Figures.OwnerCoverage.Ratio,
                writeRatio = report.Figures.WriteScope.Ratio,
                medianTtrHours = report.Figures.TimeToRemediate.MedianHours,
                openExposures = report.Figures.Exposures.Open,
                breached = report.Figures.Exposures.Breached,
            }, at: now, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (skipped.Count > 0)
                logger.LogWarning("Scheduled report {Period}: {Count} recipient(s) skipped (not an active person with a reading role)", period.Text, skipped.Count);
            return people.Count;
        }, ct);
    }

    /// <summary>Whether the report of <paramref name="period"/> was already mailed.</summary>
    public async Task<bool> SentAsync(ReportPeriod period, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subject = ReportSchedule.AuditSubject(period);
        return await db.AuditEvents.AnyAsync(e => e.Kind == AuditKind && e.Subject == subject, ct);
    }

    /// <summary>The mail's text: headline figures with their change over the period, the lists' counts, what is attached.</summary>
    public static string Body(ManagementReport r, GovernanceSettings settings)
    {
        var m = r.Figures;
        var s = r.AtStart;
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append("\r\n");
        Line($"Token governance, {r.Period.Text} (figures as of {Format.Date(r.AsOf)} UTC).");
        Line("");
        Line($"Owner coverage: {Format.Percent(m.OwnerCoverage.Ratio)} ({m.OwnerCoverage.Owned} of {m.OwnerCoverage.Active} active tokens owned; " +
             $"target {Format.Percent(settings.TargetOwnerCoverage)}); {Format.Percent(s.OwnerCoverage.Ratio)} at the start.");
        Line($"Write-scope ratio: {Format.Percent(m.WriteScope.Ratio)} ({m.WriteScope.WriteCapable} write-capable; target at most " +
             $"{Format.Percent(settings.TargetWriteRatioMax)}); {Format.Percent(s.WriteScope.Ratio)} at the start.");
        Line($"Write covered by a grant: {Format.Percent(m.WriteScope.JustifiedRatio)} ({m.WriteScope.Justified} of {m.WriteScope.WriteCapable}).");
        Line($"Median time to remediate: {Format.Hours(m.TimeToRemediate.MedianHours)} over {m.TimeToRemediate.Count} exposures remediated in the period " +
             $"(p90 {Format.Hours(m.TimeToRemediate.P90Hours)}, {Format.Percent(m.TimeToRemediate.WithinSlaRatio)} within SLA; target {Format.Hours(settings.TargetMedianTtrHours)}).");
        Line($"Open exposures: {m.Exposures.Open}, {m.Exposures.Breached} past SLA ({s.Exposures.Open} and {s.Exposures.Breached} at the start).");
        foreach (var row in SignalComparison.Rows(m)) Line($"{row.Figure}: all tokens {row.All}, leaked {row.Leaked}.");
        Line($"Attestation: {r.Attestation.Attested} of {r.Attestation.Due} tokens attested ({Format.Percent(r.Attestation.Ratio)})" +
             (r.Attestation.Name is { } name ? $" in {name}." : "; no campaign."));
        Line("");
        Line($"Tokens with no owner: {r.Unowned.Total}. Orphaned tokens (owner left): {r.Orphaned.Total}. " +
             $"Write tokens without a grant: {r.UnjustifiedWrite.Total}. Open exposures: {r.OpenExposures.Total}.");
        if (r.Teams.Count > 0)
        {
            Line("");
            Line("Teams, " + ManagementReports.TeamOrderRule);
            foreach (var (team, t) in r.Teams.Take(5))
                Line($"  {team}: owner coverage {Format.Percent(t.OwnerCoverage.Ratio)}, {t.Exposures.Breached} past SLA, " +
                     $"justified write {Format.Percent(t.WriteScope.JustifiedRatio)}");
        }
        Line("");
        Line("Attached as CSV: " + string.Join(", ", AttachmentNames) + ".");
        Line("The live report, with its charts:");
        return text.ToString();
    }

    private static readonly string[] AttachmentNames = ["teams.csv", "tokens-without-owner.csv", "orphaned-tokens.csv", "write-without-grant.csv", "open-exposures.csv"];

    private async Task<List<(string FileName, byte[] Content)>> AttachmentsAsync(ManagementReport r, CancellationToken ct)
    {
        async Task<byte[]> TokensAsync(TokenFilter filter) =>
            Csv.Utf8(ListCsv.Tokens(await inventory.AllAsync(filter, TokenSort.FirstSeenAsc, ct).ToListAsync(ct)));
        var open = new List<ExposureRow>();
        for (var page = 1; ; page++)
        {
            var batch = await exposures.ListAsync(new ExposureFilter { State = ExposureState.Open }, page, 5000, ct);
            open.AddRange(batch.Items);
            if (batch.Items.Count < 5000) break;
        }
        var unowned = (await inventory.AllAsync(new TokenFilter { Owner = "none", Status = TokenStatus.Exposed }, TokenSort.FirstSeenAsc, ct).ToListAsync(ct))
            .Concat(await inventory.AllAsync(new TokenFilter { Owner = "none", Status = TokenStatus.Active }, TokenSort.FirstSeenAsc, ct).ToListAsync(ct));
        return
        [
            (AttachmentNames[0], Csv.Utf8(ListCsv.Teams(r.Teams))),
            (AttachmentNames[1], Csv.Utf8(ListCsv.Tokens(unowned))),
            (AttachmentNames[2], await TokensAsync(new TokenFilter { Owner = "orphaned" })),
            (AttachmentNames[3], await TokensAsync(new TokenFilter { UnjustifiedWrite = true })),
            (AttachmentNames[4], Csv.Utf8(ListCsv.Exposures(open))),
        ];
    }
}
