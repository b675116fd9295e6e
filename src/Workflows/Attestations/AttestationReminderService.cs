namespace GovernanceDashboard.Workflows.Attestations;

/// <summary>Before a campaign's deadline, reminds owners who have not answered; after it, escalates what is still unanswered
/// to each owner's manager (triage tasks and owners without a manager go to whoever opened the campaign).</summary>
public sealed class AttestationReminderService(StoreWorkflowDependencies dependencies) : StoreWorkflowService(dependencies)
{
    public const string ActorName = "system:attestation-reminders";

    protected override async Task<int> RunAsync(GovernanceDbContext db, GovernanceSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var campaigns = await db.AttestationCampaigns.Where(c => c.ClosedAt == null && c.OpenedAt <= now).ToListAsync(ct);
        var changed = 0;
        foreach (var campaign in campaigns)
        {
            var tasks = await db.AttestationTasks.Include(t => t.Token)
                .Where(t => t.CampaignId == campaign.Id && t.Answer == AttestationAnswer.None && t.EscalatedAt == null).ToListAsync(ct);
            var link = AttestationService.CampaignLink(campaign.Id);

            var reminders = tasks.Where(t => AttestationRules.ReminderDue(t, campaign.Deadline, now, settings.AttestationReminderDays)).ToList();
            foreach (var t in reminders) t.RemindedAt = now;
            foreach (var owner in reminders.GroupBy(t => t.OwnerId!.Value))
                Notifier.Add(db, owner.Key, NotificationKinds.AttestationReminder, $"Reminder: attest {owner.Count()} token(s) by {campaign.Deadline:yyyy-MM-dd}",
                    $"The campaign \"{campaign.Name}\" closes on {campaign.Deadline:yyyy-MM-dd HH:mm} UTC and {owner.Count()} of your tokens are not attested yet: " +
                    string.Join(", ", owner.Select(t => t.Token!.Mask).Take(20)), link, now);
            if (reminders.Count > 0)
                await AuditTrail.AppendAsync(db, ActorName, "attestation.reminded", AttestationService.CampaignSubject(campaign.Id),
                    after: new { tasks = reminders.Select(t => t.Id), owners = reminders.Select(t => t.OwnerId).Distinct().Count() }, at: now, ct: ct);

            var escalations = tasks.Where(t => AttestationRules.EscalationDue(t, campaign.Deadline, now, settings.AttestationEscalationDays)).ToList();
            if (escalations.Count > 0)
            {
                var opener = await db.People.Where(p => p.Email == campaign.OpenedBy && p.Active).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
                var byRecipient = new Dictionary<int, List<AttestationTask>>();
                foreach (var t in escalations)
                {
                    t.EscalatedAt = now;
                    var manager = t.OwnerId is { } owner ? await Notifier.ManagerOfAsync(db, owner, ct) : null;
                    var recipient = manager?.Id ?? opener;
                    if (recipient is { } r) (byRecipient.TryGetValue(r, out var list) ? list : byRecipient[r] = []).Add(t);
                }
                foreach (var (recipient, list) in byRecipient)
                    Notifier.Add(db, recipient, NotificationKinds.AttestationEscalated, $"{list.Count} token(s) not attested in \"{campaign.Name}\"",
                        $"The deadline of \"{campaign.Name}\" ({campaign.Deadline:yyyy-MM-dd}) has passed and {list.Count} token(s) of people you manage " +
                        $"(or without an owner) are still not attested: {string.Join(", ", list.Select(t => t.Token!.Mask).Take(20))}", link, now);
                await AuditTrail.AppendAsync(db, ActorName, "attestation.escalated", AttestationService.CampaignSubject(campaign.Id),
                    after: new { tasks = escalations.Select(t => t.Id), recipients = byRecipient.Count }, at: now, ct: ct);
            }
            changed += reminders.Count + escalations.Count;
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }
}
