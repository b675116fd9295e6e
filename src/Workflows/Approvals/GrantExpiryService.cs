namespace GovernanceDashboard.Workflows.Approvals;

/// <summary>Warns owners before their write-scope grants end and records each expiry (audited): from then on the token counts
/// as unjustified write again (the metric reads the grant's end date; this makes the change visible and traceable).</summary>
public sealed class GrantExpiryService(StoreWorkflowDependencies dependencies) : StoreWorkflowService(dependencies)
{
    public const string ActorName = "system:grant-expiry";

    protected override async Task<int> RunAsync(GovernanceDbContext db, GovernanceSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var horizon = now.AddDays(Math.Max(0, settings.WarnGrantExpiryDays));
        var grants = await db.WriteScopeGrants.Include(g => g.Token)
            .Where(g => g.ExpiryRecordedAt == null && g.WithdrawnAt == null && g.ExpiresAt <= horizon)
            .OrderBy(g => g.ExpiresAt).Take(1000).ToListAsync(ct);
        if (grants.Count == 0) return 0;

        var tokenIds = grants.Select(g => g.TokenId).Distinct().ToList();
        // Other grants of the same tokens: a renewed grant means the expiry changes nothing for the owner.
        var others = await db.WriteScopeGrants.AsNoTracking()
            .Where(g => tokenIds.Contains(g.TokenId) && g.WithdrawnAt == null)
            .Select(g => new { g.Id, g.TokenId, g.ApprovedAt, g.ExpiresAt }).ToListAsync(ct);
        var requesters = await db.WriteScopeRequests.AsNoTracking().Where(r => grants.Select(g => g.RequestId).Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => r.RequesterId, ct);

        var changed = 0;
        foreach (var grant in grants)
        {
            var token = grant.Token!;
            var renewed = others.Any(o => o.TokenId == grant.TokenId && o.Id != grant.Id && o.ApprovedAt <= grant.ExpiresAt && o.ExpiresAt > grant.ExpiresAt);
            var recipient = token.OwnerId ?? requesters.GetValueOrDefault(grant.RequestId);
            if (ApprovalRules.ExpiryDue(grant, now))
            {
                grant.ExpiryRecordedAt = now;
                await AuditTrail.AppendAsync(db, ActorName, "writescope.grant.expired", WriteScopeService.TokenSubject(grant.TokenId),
                    before: new { grantId = grant.Id, justified = true },
                    after: new { grantId = grant.Id, grant.RequestId, grant.ExpiresAt, justified = renewed }, at: now, ct: ct);
                if (!renewed && ApprovalRules.ExpiryWorthTelling(grant, now))
                    Notifier.Add(db, recipient, NotificationKinds.GrantExpired, $"Write-scope grant on {token.Mask} expired",
                        $"The write-scope grant on {token.Mask} expired on {grant.ExpiresAt:yyyy-MM-dd}; the token's write scope is unjustified again. " +
                        "Reduce its scope, or ask for write scope again on My tokens.", "/my-tokens", now);
                changed++;
            }
            else if (ApprovalRules.ExpiryWarningDue(grant, now, settings.WarnGrantExpiryDays))
            {
                grant.ExpiryWarnedAt = now;
                await AuditTrail.AppendAsync(db, ActorName, "writescope.grant.expiring", WriteScopeService.TokenSubject(grant.TokenId),
                    after: new { grantId = grant.Id, grant.RequestId, grant.ExpiresAt }, at: now, ct: ct);
                if (!renewed)
                    Notifier.Add(db, recipient, NotificationKinds.GrantExpiring, $"Write-scope grant on {token.Mask} expires {grant.ExpiresAt:yyyy-MM-dd}",
                        $"The write-scope grant on {token.Mask} ends on {grant.ExpiresAt:yyyy-MM-dd HH:mm} UTC. Ask again on My tokens if the write scope is still needed.",
                        "/my-tokens", now);
                changed++;
            }
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }
}
