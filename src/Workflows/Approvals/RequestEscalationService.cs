namespace GovernanceDashboard.Workflows.Approvals;

/// <summary>Escalates write-scope requests that waited too long (setting EscalateRequestsAfterDays) to the requester's manager,
/// or to the admins when the requester has no active manager.</summary>
public sealed class RequestEscalationService(StoreWorkflowDependencies dependencies) : StoreWorkflowService(dependencies)
{
    public const string ActorName = "system:request-escalation";

    protected override async Task<int> RunAsync(GovernanceDbContext db, GovernanceSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        if (settings.EscalateRequestsAfterDays <= 0) return 0;
        var cutoff = now.AddDays(-settings.EscalateRequestsAfterDays);
        var requests = await db.WriteScopeRequests.Include(r => r.Token).Include(r => r.Requester)
            .Where(r => r.Status == RequestStatus.Pending && r.EscalatedAt == null && r.CreatedAt <= cutoff)
            .OrderBy(r => r.CreatedAt).Take(500).ToListAsync(ct);
        var escalated = 0;
        foreach (var request in requests.Where(r => ApprovalRules.ShouldEscalate(r.Status, r.CreatedAt, r.EscalatedAt, now, settings.EscalateRequestsAfterDays)))
        {
            // The version is left alone: an escalation does not change what an approver decides on, so it must not void their decision.
            request.EscalatedAt = now;
            var manager = await Notifier.ManagerOfAsync(db, request.RequesterId, ct);
            var recipients = manager is not null ? [manager.Id] : await Notifier.AdminIdsAsync(db, ct);
            await AuditTrail.AppendAsync(db, ActorName, "writescope.escalated", WriteScopeService.TokenSubject(request.TokenId),
                after: new { requestId = request.Id, waitingSince = request.CreatedAt, escalatedTo = manager?.Email ?? "admins" }, at: now, ct: ct);
            var days = (int)(now - request.CreatedAt).TotalDays;
            Notifier.AddMany(db, recipients, NotificationKinds.RequestEscalated,
                $"Write-scope request of {request.Requester!.DisplayName} waits for {days} days",
                $"{request.Requester.Email} asked for write scope on {request.Token!.Mask} on {request.CreatedAt:yyyy-MM-dd} and no approver has decided. " +
                $"Justification: {request.Justification}", "/approvals?tab=approve", now);
            escalated++;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A decision landed in between; what is still pending escalates on the next round.
            return 0;
        }
        return escalated;
    }
}
