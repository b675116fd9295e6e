namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Reopens exposures whose accepted risk has expired (audited; owner and analysts told). State lives in the store, so a restart
/// loses nothing: whatever expired while the dashboard was down is reopened on the next round.</summary>
public sealed class RiskAcceptanceExpiryService(StoreWorkflowDependencies dependencies) : StoreWorkflowService(dependencies)
{
    public const string ActorName = "system:risk-acceptance";

    protected override async Task<int> RunAsync(GovernanceDbContext db, GovernanceSettings settings, DateTimeOffset now, CancellationToken ct)
    {
        var expired = await db.Exposures.Include(e => e.Token)
            .Where(e => e.State == ExposureState.Dismissed && e.DismissedUntil != null && e.DismissedUntil <= now)
            .OrderBy(e => e.DismissedUntil).Take(TriageService.MaxBulk).ToListAsync(ct);
        if (expired.Count == 0) return 0;
        var analysts = await Notifier.AnalystIdsAsync(db, ct);
        foreach (var exposure in expired)
        {
            var token = exposure.Token!;
            var until = exposure.DismissedUntil;
            if (await TriageService.ReopenAsync(db, exposure, ActorName, "exposure.risk.expired", now, ct) is { } refusal)
            {
                // Nothing to reopen (the token was revoked since, or has a newer open exposure): the acceptance simply ends.
                exposure.DismissedUntil = null;
                await AuditTrail.AppendAsync(db, ActorName, "exposure.risk.expired", WriteScopeService.TokenSubject(token.Id),
                    new { exposureId = exposure.Id, until }, new { exposureId = exposure.Id, state = exposure.State.ToString(), reopened = false, why = refusal.Message },
                    now, ct);
                continue;
            }
            var recipients = analysts.Append(token.OwnerId ?? 0);
            Notifier.AddMany(db, recipients, NotificationKinds.RiskAcceptanceExpired, $"The accepted risk on {token.Mask} expired: its exposure is open again",
                $"The risk on {token.Mask} was accepted until {until:yyyy-MM-dd HH:mm} UTC. The exposure is open again; revoke or rotate the token, " +
                "or accept the risk anew.", $"/tokens/{token.Id}", now);
        }
        await db.SaveChangesAsync(ct);
        return expired.Count;
    }
}
