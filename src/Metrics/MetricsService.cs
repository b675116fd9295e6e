using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Settings;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Metrics;

/// <summary>The one implementation of METRICS.md, as of any instant; every page, the CLI, the API and reports use it.</summary>
/// <remarks>Each figure is computed by a few grouped queries whose groups carry the owner's team, so the organisation's
/// figures and every team's come from the same pass and the same formulas (the per-team view and "worst teams").</remarks>
public sealed class MetricsService(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="asOf">the instant the figures are computed as of (default: now)</param>
    /// <param name="ttrFrom">start of the time-to-remediate window (default: all time)</param>
    /// <param name="team">only tokens whose owner is in this team (the per-team view); null for everyone</param>
    public async Task<MetricsSnapshot> ComputeAsync(DateTimeOffset? asOf = null, DateTimeOffset? ttrFrom = null, string? team = null, CancellationToken ct = default)
    {
        var result = await ComputeByTeamAsync(asOf, ttrFrom, team, ct);
        return team is null ? result.Organisation : result.Teams.GetValueOrDefault(team) ?? result.Empty;
    }

    /// <summary>The organisation's figures and each team's (tokens without an owner, or whose owner has no team, count
    /// for the organisation only).</summary>
    public Task<TeamMetrics> ComputeByTeamAsync(DateTimeOffset? asOf = null, DateTimeOffset? ttrFrom = null, CancellationToken ct = default) =>
        ComputeByTeamAsync(asOf, ttrFrom, null, ct);

    private async Task<TeamMetrics> ComputeByTeamAsync(DateTimeOffset? asOf, DateTimeOffset? ttrFrom, string? onlyTeam, CancellationToken ct)
    {
        var at = asOf ?? clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await GovernanceSettings.LoadAsync(db, ct);

        var tokens = await TokenGroupsAsync(db, at, onlyTeam, ct);
        var exposures = await ExposureGroupsAsync(db, at, settings, onlyTeam, ct);
        var remediations = await RemediationsAsync(db, at, ttrFrom, onlyTeam, ct);
        var (campaignId, tasks) = await AttestationGroupsAsync(db, at, onlyTeam, ct);

        MetricsSnapshot Fold(Func<string?, bool> inTeam) => new(
            at,
            TokenFigures(tokens.Where(g => inTeam(g.Team)), out var coverage, out var write),
            coverage,
            write,
            ExposureFigures(exposures.Where(g => inTeam(g.Team)), at),
            TimeToRemediate(remediations.Where(r => inTeam(r.Team)), settings),
            Attestation(tasks.Where(t => inTeam(t.Team)), campaignId));

        var teams = tokens.Select(g => g.Team).Concat(exposures.Select(g => g.Team)).OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal);
        return new TeamMetrics(
            Fold(_ => true),
            teams.ToDictionary(t => t, t => Fold(x => x == t), StringComparer.Ordinal),
            Fold(_ => false));
    }

    private sealed record TokenGroup(string? Team, TokenPlatform Platform, TokenStatus Status, WriteCapability Write, bool Owned, bool Orphaned, bool Justified, int Count);

    private static async Task<List<TokenGroup>> TokenGroupsAsync(GovernanceDbContext db, DateTimeOffset at, string? team, CancellationToken ct)
    {
        // Every token counted once it was first detected, classified as of `at`.
        var tokens = db.Tokens.Where(t => t.FirstSeenAt <= at);
        if (team is not null) tokens = tokens.Where(t => t.Owner != null && t.Owner.Team == team);
        var groups = await tokens
            .Select(t => new
            {
                Team = t.Owner != null ? t.Owner.Team : null,
                t.Platform,
                Status = t.RevokedAt != null && t.RevokedAt <= at ? TokenStatus.Revoked
                    : t.ExpiresAt != null && t.ExpiresAt <= at ? TokenStatus.Expired
                    : db.Exposures.Any(e => e.TokenId == t.Id && e.DetectedAt <= at
                        && (e.RemediatedAt == null || e.RemediatedAt > at) && (e.DismissedAt == null || e.DismissedAt > at))
                        ? TokenStatus.Exposed : TokenStatus.Active,
                t.WriteCapability,
                Owned = t.OwnerId != null && t.Owner!.Active,
                Orphaned = t.OwnerId != null && !t.Owner!.Active,
                Justified = t.WriteCapability == WriteCapability.Write && db.WriteScopeGrants.Any(g => g.TokenId == t.Id && g.ApprovedAt <= at
                    && g.ExpiresAt > at && (g.WithdrawnAt == null || g.WithdrawnAt > at)),
            })
            .GroupBy(x => new { x.Team, x.Platform, x.Status, x.WriteCapability, x.Owned, x.Orphaned, x.Justified })
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return groups.Select(g => new TokenGroup(g.Key.Team, g.Key.Platform, g.Key.Status, g.Key.WriteCapability, g.Key.Owned, g.Key.Orphaned, g.Key.Justified, g.Count)).ToList();
    }

    private static TokenFigures TokenFigures(IEnumerable<TokenGroup> groups, out OwnerCoverage coverage, out WriteScopeFigures write)
    {
        int total = 0, active = 0, owned = 0, orphaned = 0, writeCapable = 0, unknown = 0, justified = 0;
        var byPlatform = Enum.GetValues<TokenPlatform>().ToDictionary(p => p.ToString(), _ => 0);
        var byStatus = Enum.GetValues<TokenStatus>().ToDictionary(s => s.ToString(), _ => 0);
        foreach (var g in groups)
        {
            total += g.Count;
            byPlatform[g.Platform.ToString()] += g.Count;
            byStatus[g.Status.ToString()] += g.Count;
            // Active: neither revoked nor expired (exposed tokens are active).
            if (g.Status is TokenStatus.Revoked or TokenStatus.Expired) continue;
            active += g.Count;
            if (g.Owned) owned += g.Count;
            if (g.Orphaned) orphaned += g.Count;
            if (g.Write == WriteCapability.Write)
            {
                writeCapable += g.Count;
                if (g.Justified) justified += g.Count;
            }
            if (g.Write == WriteCapability.Unknown) unknown += g.Count;
        }
        coverage = new OwnerCoverage(owned, active, orphaned, Statistics.Ratio(owned, active));
        write = new WriteScopeFigures(writeCapable, unknown, active, justified, Statistics.Ratio(writeCapable, active), Statistics.Ratio(justified, writeCapable));
        return new TokenFigures(total, active, byPlatform, byStatus);
    }

    private sealed record ExposureGroup(string? Team, Severity Severity, int Total, int Open, int Remediated, int Dismissed, int Breached, DateTimeOffset? OldestOpen);

    private static async Task<List<ExposureGroup>> ExposureGroupsAsync(GovernanceDbContext db, DateTimeOffset at, GovernanceSettings settings, string? team, CancellationToken ct)
    {
        // An open exposure is past its SLA when it was detected before `at` minus its severity's target.
        var critical = at.AddHours(-settings.SlaCriticalHours);
        var high = at.AddHours(-settings.SlaHighHours);
        var medium = at.AddHours(-settings.SlaMediumHours);
        var low = at.AddHours(-settings.SlaLowHours);
        var exposures = db.Exposures.Where(e => e.DetectedAt <= at);
        if (team is not null) exposures = exposures.Where(e => e.Token!.Owner != null && e.Token.Owner.Team == team);
        var groups = await exposures
            .Select(e => new
            {
                Team = e.Token!.Owner != null ? e.Token.Owner.Team : null,
                e.Severity,
                e.DetectedAt,
                Open = (e.RemediatedAt == null || e.RemediatedAt > at) && (e.DismissedAt == null || e.DismissedAt > at),
                Remediated = e.RemediatedAt != null && e.RemediatedAt <= at,
                Dismissed = e.DismissedAt != null && e.DismissedAt <= at,
            })
            .GroupBy(x => new { x.Team, x.Severity })
            .Select(g => new
            {
                g.Key,
                Total = g.Count(),
                Open = g.Sum(x => x.Open ? 1 : 0),
                Remediated = g.Sum(x => x.Remediated ? 1 : 0),
                Dismissed = g.Sum(x => x.Dismissed ? 1 : 0),
                Breached = g.Sum(x => x.Open && (x.Severity == Severity.Critical ? x.DetectedAt < critical
                    : x.Severity == Severity.High ? x.DetectedAt < high
                    : x.Severity == Severity.Medium ? x.DetectedAt < medium
                    : x.DetectedAt < low) ? 1 : 0),
                OldestOpen = g.Where(x => x.Open).Min(x => (DateTimeOffset?)x.DetectedAt),
            })
            .ToListAsync(ct);
        return groups.Select(g => new ExposureGroup(g.Key.Team, g.Key.Severity, g.Total, g.Open, g.Remediated, g.Dismissed, g.Breached, g.OldestOpen)).ToList();
    }

    private static ExposureFigures ExposureFigures(IEnumerable<ExposureGroup> groups, DateTimeOffset at)
    {
        var list = groups.ToList();
        var oldest = list.Where(g => g.OldestOpen is not null).Min(g => g.OldestOpen);
        var bySeverity = Enum.GetValues<Severity>().ToDictionary(s => s.ToString(), s => list.Where(g => g.Severity == s).Sum(g => g.Open));
        return new ExposureFigures(list.Sum(g => g.Total), list.Sum(g => g.Open), list.Sum(g => g.Remediated), list.Sum(g => g.Dismissed),
            oldest is { } o ? (at - o).TotalHours : null, list.Sum(g => g.Breached), bySeverity);
    }

    private sealed record Remediation(string? Team, Severity Severity, double Hours);

    private static async Task<List<Remediation>> RemediationsAsync(GovernanceDbContext db, DateTimeOffset at, DateTimeOffset? from, string? team, CancellationToken ct)
    {
        // Remediated in the window [from, asOf]; dismissals are excluded, as GitHub and GitLab exclude them.
        var query = db.Exposures.Where(e => e.State == ExposureState.Remediated && e.RemediatedAt != null && e.RemediatedAt <= at && e.DetectedAt <= at);
        if (from is { } f) query = query.Where(e => e.RemediatedAt >= f);
        if (team is not null) query = query.Where(e => e.Token!.Owner != null && e.Token.Owner.Team == team);
        var rows = await query.Select(e => new { Team = e.Token!.Owner != null ? e.Token.Owner.Team : null, e.Severity, e.DetectedAt, RemediatedAt = e.RemediatedAt!.Value })
            .ToListAsync(ct);
        return rows.Select(r => new Remediation(r.Team, r.Severity, (r.RemediatedAt - r.DetectedAt).TotalHours)).ToList();
    }

    private static TimeToRemediate TimeToRemediate(IEnumerable<Remediation> remediations, GovernanceSettings settings)
    {
        var list = remediations.ToList();
        if (list.Count == 0) return new TimeToRemediate(0, null, null, null, null);
        var hours = list.Select(r => r.Hours).Order().ToList();
        var within = list.Count(r => r.Hours <= settings.SlaHoursFor(r.Severity));
        return new TimeToRemediate(list.Count, hours.Average(), Statistics.Percentile(hours, 0.5), Statistics.Percentile(hours, 0.9),
            Statistics.Ratio(within, list.Count));
    }

    private sealed record TaskGroup(string? Team, int Due, int Attested);

    private static async Task<(int? CampaignId, List<TaskGroup> Groups)> AttestationGroupsAsync(GovernanceDbContext db, DateTimeOffset at, string? team, CancellationToken ct)
    {
        // The current campaign: the latest opened at or before asOf.
        var campaign = await db.AttestationCampaigns.AsNoTracking()
            .Where(c => c.OpenedAt <= at)
            .OrderByDescending(c => c.OpenedAt)
            .Select(c => new { c.Id, c.Deadline })
            .FirstOrDefaultAsync(ct);
        if (campaign is null) return (null, []);
        var tasks = db.AttestationTasks.Where(t => t.CampaignId == campaign.Id);
        if (team is not null) tasks = tasks.Where(t => t.Token!.Owner != null && t.Token.Owner.Team == team);
        var groups = await tasks
            .GroupBy(t => t.Token!.Owner != null ? t.Token.Owner.Team : null)
            .Select(g => new
            {
                Team = g.Key,
                Due = g.Count(),
                // Answered (keep / reduce scope / revoke) before the deadline.
                Attested = g.Sum(t => t.Answer != AttestationAnswer.None && t.AnsweredAt != null && t.AnsweredAt <= campaign.Deadline && t.AnsweredAt <= at ? 1 : 0),
            })
            .ToListAsync(ct);
        return (campaign.Id, groups.Select(g => new TaskGroup(g.Team, g.Due, g.Attested)).ToList());
    }

    private static AttestationFigures Attestation(IEnumerable<TaskGroup> groups, int? campaignId)
    {
        var list = groups.ToList();
        if (campaignId is null) return new AttestationFigures(0, 0, null, null);
        var due = list.Sum(g => g.Due);
        var attested = list.Sum(g => g.Attested);
        return new AttestationFigures(due, attested, Statistics.Ratio(attested, due), campaignId);
    }
}

/// <summary>The organisation's figures, each team's, and the figures of an empty scope (a team with nothing).</summary>
public sealed record TeamMetrics(MetricsSnapshot Organisation, IReadOnlyDictionary<string, MetricsSnapshot> Teams, MetricsSnapshot Empty);
