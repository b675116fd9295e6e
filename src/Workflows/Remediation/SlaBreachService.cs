namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Tells the owner, the owner's manager and the analysts when an open exposure passes its severity's SLA (docs/metrics.md "breached").
/// Once per open period: the exposure records when it was announced, in the same save as the messages, so a restart never repeats it.</summary>
public sealed class SlaBreachService(StoreWorkflowDependencies dependencies) : StoreWorkflowService(dependencies)
{
    private const int Batch = 500;

    /// <summary>Rounds of at most a batch each until none is full; no audit lock: a breach is announced, not audited.</summary>
    public override async Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            var handled = await RoundAsync(now, ct);
            total += handled;
            if (handled < Batch) break;
        }
        return total;
    }

    protected override async Task<int> RunAsync(GovernanceDbContext db, GovernanceSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var breached = new List<Exposure>();
        // Per severity, the deadline is detection + its SLA: "detected before now − SLA" uses the (State, DetectedAt) index.
        foreach (var severity in Enum.GetValues<Severity>())
        {
            var detectedBefore = SlaBreachRule.DetectedBefore(now, settings.SlaHoursFor(severity));
            breached.AddRange(await db.Exposures.Include(e => e.Token).ThenInclude(t => t!.Owner)
                .Where(e => e.State == ExposureState.Open && e.SlaBreachNotifiedAt == null && e.Severity == severity && e.DetectedAt < detectedBefore)
                .OrderBy(e => e.DetectedAt).Take(Batch - breached.Count).ToListAsync(ct));
            if (breached.Count >= Batch) break;
        }
        if (breached.Count == 0) return 0;

        foreach (var exposure in breached)
        {
            exposure.SlaBreachNotifiedAt = now;
            var token = exposure.Token!;
            var deadline = SlaBreachRule.Deadline(exposure.DetectedAt, settings.SlaHoursFor(exposure.Severity));
            var owner = token.Owner is { Active: true } o ? o : null;
            var manager = owner is null ? null : await Notifier.ManagerOfAsync(db, owner.Id, ct);
            var body = $"The {exposure.Severity} exposure of {token.Mask} (detected {exposure.DetectedAt:yyyy-MM-dd HH:mm} UTC) passed its SLA on " +
                $"{deadline:yyyy-MM-dd HH:mm} UTC and is still open. Revoke or rotate the token and record it.";
            if (owner is not null)
                Notifier.Add(db, owner.Id, NotificationKinds.SlaBreached, $"Your token {token.Mask} is past its remediation deadline", body,
                    Notifier.ExposureLink(token.Id, exposure.Id), now);
            if (manager is not null)
                Notifier.Add(db, manager.Id, NotificationKinds.SlaBreached, $"{owner!.Email}'s token {token.Mask} is past its remediation deadline",
                    body, $"/tokens/{token.Id}", now);
        }
        // Analysts get one message per round (a backlog would otherwise flood them), naming what breached.
        var analysts = await Notifier.AnalystIdsAsync(db, ct);
        var names = string.Join(", ", breached.Take(20).Select(e => e.Token!.Mask));
        Notifier.AddMany(db, analysts, NotificationKinds.SlaBreached,
            breached.Count == 1 ? $"An exposure of {breached[0].Token!.Mask} passed its SLA" : $"{breached.Count} exposures passed their SLA",
            $"Still open past their severity's SLA: {names}{(breached.Count > 20 ? ", …" : "")}. The Exposures page lists them breached first.", "/exposures", now);
        await db.SaveChangesAsync(ct);
        return breached.Count;
    }
}
