namespace GovernanceDashboard.Settings;

/// <summary>Reads the settings and saves an Admin's edits of them, audited, for every Settings tab alike.</summary>
public sealed class SettingsStore(IDbContextFactory<GovernanceDbContext> dbFactory)
{
    public async Task<GovernanceSettings> LoadAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GovernanceSettings.LoadAsync(db, ct);
    }

    /// <summary>Saves what changed between <paramref name="original"/> (as the form loaded it) and <paramref name="edited"/>,
    /// applied onto the settings as stored now, so one tab's save never reverts another tab's (or another Admin's)
    /// change; one audit event per changed setting. Returns the settings as saved.</summary>
    public Task<GovernanceSettings> SaveAsync(GovernanceSettings original, GovernanceSettings edited, string actor, CancellationToken ct = default) =>
        AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var merged = GovernanceSettings.Merge(await GovernanceSettings.LoadAsync(db, ct), original, edited);
            await GovernanceSettings.SaveAsync(db, merged, actor, ct);
            return merged;
        }, ct);
}
