using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Metrics;

/// <summary>One month of exposure activity: opened, remediated, and the median time to remediate of those remediated in it.</summary>
public sealed record MonthlyExposures(DateOnly Month, int Opened, int Remediated, double? MedianTtrHours);

/// <summary>One week (starting Monday): exposures opened and closed (remediated or dismissed).</summary>
public sealed record WeeklyExposures(DateOnly WeekStart, int Opened, int Closed);

/// <summary>Time to remediate of the exposures remediated in one month.</summary>
public sealed record MonthlyTtr(DateOnly Month, int Count, double? MedianHours, double? P90Hours);

/// <summary>Chart-ready series for the Overview, Exposures and Reports pages.</summary>
public sealed class TrendQueries(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<MonthlyExposures>> ExposuresByMonthAsync(int months = 12, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        var at = asOf ?? clock.GetUtcNow();
        var firstMonth = new DateOnly(at.Year, at.Month, 1).AddMonths(-(months - 1));
        var from = new DateTimeOffset(firstMonth.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Exposures.AsNoTracking()
            .Where(e => (e.DetectedAt >= from && e.DetectedAt <= at) || (e.RemediatedAt != null && e.RemediatedAt >= from && e.RemediatedAt <= at))
            .Select(e => new { e.DetectedAt, e.RemediatedAt, e.State })
            .ToListAsync(ct);

        static DateOnly MonthOf(DateTimeOffset t) => new(t.UtcDateTime.Year, t.UtcDateTime.Month, 1);
        return Enumerable.Range(0, months).Select(i =>
        {
            var month = firstMonth.AddMonths(i);
            var remediated = rows.Where(r => r.State == ExposureState.Remediated && r.RemediatedAt is { } done && done <= at && MonthOf(done) == month)
                .Select(r => (r.RemediatedAt!.Value - r.DetectedAt).TotalHours).Order().ToList();
            return new MonthlyExposures(month, rows.Count(r => r.DetectedAt >= from && MonthOf(r.DetectedAt) == month),
                remediated.Count, Statistics.Percentile(remediated, 0.5));
        }).ToList();
    }

    public async Task<IReadOnlyList<WeeklyExposures>> ExposuresByWeekAsync(int weeks = 26, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        var at = asOf ?? clock.GetUtcNow();
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        var firstWeek = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(-7 * (weeks - 1));
        var from = new DateTimeOffset(firstWeek.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var opened = await db.Exposures.AsNoTracking().Where(e => e.DetectedAt >= from && e.DetectedAt <= at).Select(e => e.DetectedAt).ToListAsync(ct);
        var closed = await db.Exposures.AsNoTracking()
            .Where(e => (e.RemediatedAt >= from && e.RemediatedAt <= at) || (e.DismissedAt >= from && e.DismissedAt <= at))
            .Select(e => e.RemediatedAt ?? e.DismissedAt).ToListAsync(ct);
        int WeekIndex(DateTimeOffset t) => (DateOnly.FromDateTime(t.UtcDateTime).DayNumber - firstWeek.DayNumber) / 7;
        var openedCounts = new int[weeks];
        var closedCounts = new int[weeks];
        foreach (var t in opened) openedCounts[Math.Clamp(WeekIndex(t), 0, weeks - 1)]++;
        foreach (var t in closed) if (t is { } c) closedCounts[Math.Clamp(WeekIndex(c), 0, weeks - 1)]++;
        return Enumerable.Range(0, weeks).Select(i => new WeeklyExposures(firstWeek.AddDays(7 * i), openedCounts[i], closedCounts[i])).ToList();
    }

    /// <summary>Median and p90 time to remediate of the exposures remediated in each month (dismissals excluded).</summary>
    public async Task<IReadOnlyList<MonthlyTtr>> TimeToRemediateByMonthAsync(int months = 12, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        var at = asOf ?? clock.GetUtcNow();
        var firstMonth = new DateOnly(at.Year, at.Month, 1).AddMonths(-(months - 1));
        var from = new DateTimeOffset(firstMonth.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Exposures.AsNoTracking()
            .Where(e => e.State == ExposureState.Remediated && e.RemediatedAt >= from && e.RemediatedAt <= at)
            .Select(e => new { e.DetectedAt, RemediatedAt = e.RemediatedAt!.Value }).ToListAsync(ct);
        return Enumerable.Range(0, months).Select(i =>
        {
            var month = firstMonth.AddMonths(i);
            var hours = rows.Where(r => r.RemediatedAt.UtcDateTime.Year == month.Year && r.RemediatedAt.UtcDateTime.Month == month.Month)
                .Select(r => (r.RemediatedAt - r.DetectedAt).TotalHours).Order().ToList();
            return new MonthlyTtr(month, hours.Count, Statistics.Percentile(hours, 0.5), Statistics.Percentile(hours, 0.9));
        }).ToList();
    }
}
