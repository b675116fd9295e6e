using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Settings;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Metrics;

/// <summary>The one implementation of METRICS.md, as of any instant; every page, the CLI, the API and reports use it.</summary>
public sealed class MetricsService(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="asOf">the instant the figures are computed as of (default: now)</param>
    /// <param name="ttrFrom">start of the time-to-remediate window (default: all time)</param>
    /// <param name="team">only tokens whose owner is in this team (the per-team view); null for everyone</param>
    public async Task<MetricsSnapshot> ComputeAsync(DateTimeOffset? asOf = null, DateTimeOffset? ttrFrom = null, string? team = null, CancellationToken ct = default)
    {
        var at = asOf ?? clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await GovernanceSettings.LoadAsync(db, ct);
        var scope = new Scope(db, team);

        var tokens = await TokenFiguresAsync(db, scope, at, ct);
        var exposures = await ExposureFiguresAsync(scope, at, settings, ct);
        var ttr = await TimeToRemediateAsync(scope, at, ttrFrom, settings, ct);
        var attestation = await AttestationAsync(db, scope, at, ct);

        return new MetricsSnapshot(at, tokens.Tokens, tokens.Coverage, tokens.Write, exposures, ttr, attestation);
    }

    /// <summary>The rows a computation looks at: everything, or one team's (by the owner's directory entry).</summary>
    private sealed class Scope(GovernanceDbContext db, string? team)
    {
        public IQueryable<Token> Tokens => team is null ? db.Tokens : db.Tokens.Where(t => t.Owner != null && t.Owner.Team == team);

        public IQueryable<Exposure> Exposures => team is null ? db.Exposures : db.Exposures.Where(e => e.Token!.Owner != null && e.Token.Owner.Team == team);

        public IQueryable<AttestationTask> Tasks => team is null ? db.AttestationTasks : db.AttestationTasks.Where(t => t.Token!.Owner != null && t.Token.Owner.Team == team);
    }

    private sealed record TokenPart(TokenFigures Tokens, OwnerCoverage Coverage, WriteScopeFigures Write);

    private static async Task<TokenPart> TokenFiguresAsync(GovernanceDbContext db, Scope scope, DateTimeOffset at, CancellationToken ct)
    {
        // One grouped query: every token counted once it was first detected, classified as of `at`.
        var groups = await scope.Tokens
            .Where(t => t.FirstSeenAt <= at)
            .Select(t => new
            {
                t.Platform,
                Status = t.RevokedAt != null && t.RevokedAt <= at ? TokenStatus.Revoked
                    : t.ExpiresAt != null && t.ExpiresAt <= at ? TokenStatus.Expired
                    : db.Exposures.Any(e => e.TokenId == t.Id && e.DetectedAt <= at
                        && (e.RemediatedAt == null || e.RemediatedAt > at) && (e.DismissedAt == null || e.DismissedAt > at))
                        ? TokenStatus.Exposed : TokenStatus.Active,
                t.WriteCapability,
                Owned = t.OwnerId != null && t.Owner!.Active,
                Orphaned = t.OwnerId != null && !t.Owner!.Active,
                Justified = db.WriteScopeGrants.Any(g => g.TokenId == t.Id && g.ApprovedAt <= at && g.ExpiresAt > at
                    && (g.WithdrawnAt == null || g.WithdrawnAt > at)),
            })
            .GroupBy(x => new { x.Platform, x.Status, x.WriteCapability, x.Owned, x.Orphaned, x.Justified })
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(ct);

        int total = 0, active = 0, owned = 0, orphaned = 0, write = 0, unknown = 0, justified = 0;
        var byPlatform = Enum.GetValues<TokenPlatform>().ToDictionary(p => p.ToString(), _ => 0);
        var byStatus = Enum.GetValues<TokenStatus>().ToDictionary(s => s.ToString(), _ => 0);
        foreach (var g in groups)
        {
            total += g.Count;
            byPlatform[g.Key.Platform.ToString()] += g.Count;
            byStatus[g.Key.Status.ToString()] += g.Count;
            if (g.Key.Status is TokenStatus.Revoked or TokenStatus.Expired) continue;
            active += g.Count;
            if (g.Key.Owned) owned += g.Count;
            if (g.Key.Orphaned) orphaned += g.Count;
            if (g.Key.WriteCapability == WriteCapability.Write)
            {
                write += g.Count;
                if (g.Key.Justified) justified += g.Count;
            }
            if (g.Key.WriteCapability == WriteCapability.Unknown) unknown += g.Count;
        }

        return new TokenPart(
            new TokenFigures(total, active, byPlatform, byStatus),
            new OwnerCoverage(owned, active, orphaned, Statistics.Ratio(owned, active)),
            new WriteScopeFigures(write, unknown, active, justified, Statistics.Ratio(write, active), Statistics.Ratio(justified, write)));
    }

    private static async Task<ExposureFigures> ExposureFiguresAsync(Scope scope, DateTimeOffset at, GovernanceSettings settings, CancellationToken ct)
    {
        var detected = scope.Exposures.Where(e => e.DetectedAt <= at);
        var total = await detected.CountAsync(ct);
        var remediated = await detected.CountAsync(e => e.RemediatedAt != null && e.RemediatedAt <= at, ct);
        var dismissed = await detected.CountAsync(e => e.DismissedAt != null && e.DismissedAt <= at, ct);
        var open = await detected
            .Where(e => (e.RemediatedAt == null || e.RemediatedAt > at) && (e.DismissedAt == null || e.DismissedAt > at))
            .GroupBy(e => e.Severity)
            .Select(g => new { Severity = g.Key, Count = g.Count(), Oldest = g.Min(e => e.DetectedAt) })
            .ToListAsync(ct);

        var breached = 0;
        foreach (var severity in open.Select(o => o.Severity))
        {
            var deadline = at.AddHours(-settings.SlaHoursFor(severity));
            breached += await detected.CountAsync(e => e.Severity == severity && e.DetectedAt < deadline
                && (e.RemediatedAt == null || e.RemediatedAt > at) && (e.DismissedAt == null || e.DismissedAt > at), ct);
        }

        double? oldest = open.Count == 0 ? null : (at - open.Min(o => o.Oldest)).TotalHours;
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s.ToString(), s => open.FirstOrDefault(o => o.Severity == s)?.Count ?? 0);
        return new ExposureFigures(total, open.Sum(o => o.Count), remediated, dismissed, oldest, breached, bySeverity);
    }

    private static async Task<TimeToRemediate> TimeToRemediateAsync(Scope scope, DateTimeOffset at, DateTimeOffset? from,
        GovernanceSettings settings, CancellationToken ct)
    {
        var query = scope.Exposures.Where(e => e.State == ExposureState.Remediated && e.RemediatedAt != null && e.RemediatedAt <= at && e.DetectedAt <= at);
        if (from is { } f) query = query.Where(e => e.RemediatedAt >= f);
        var rows = await query.Select(e => new { e.DetectedAt, RemediatedAt = e.RemediatedAt!.Value, e.Severity }).ToListAsync(ct);
        if (rows.Count == 0) return new TimeToRemediate(0, null, null, null, null);

        var hours = rows.Select(r => (r.RemediatedAt - r.DetectedAt).TotalHours).Order().ToList();
        var within = rows.Count(r => (r.RemediatedAt - r.DetectedAt).TotalHours <= settings.SlaHoursFor(r.Severity));
        return new TimeToRemediate(rows.Count, hours.Average(), Statistics.Percentile(hours, 0.5), Statistics.Percentile(hours, 0.9),
            Statistics.Ratio(within, rows.Count));
    }

    private static async Task<AttestationFigures> AttestationAsync(GovernanceDbContext db, Scope scope, DateTimeOffset at, CancellationToken ct)
    {
        var campaign = await db.AttestationCampaigns.AsNoTracking()
            .Where(c => c.OpenedAt <= at)
            .OrderByDescending(c => c.OpenedAt)
            .Select(c => new { c.Id, c.Deadline })
            .FirstOrDefaultAsync(ct);
        if (campaign is null) return new AttestationFigures(0, 0, null, null);
        var tasks = scope.Tasks.Where(t => t.CampaignId == campaign.Id);
        var due = await tasks.CountAsync(ct);
        var attested = await tasks.CountAsync(t => t.Answer != AttestationAnswer.None && t.AnsweredAt != null
            && t.AnsweredAt <= campaign.Deadline && t.AnsweredAt <= at, ct);
        return new AttestationFigures(due, attested, Statistics.Ratio(attested, due), campaign.Id);
    }
}
