using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Metrics;

/// <summary>One month of exposure activity: opened, remediated, and the median time to remediate of those remediated in it.</summary>
public sealed record MonthlyExposures(DateOnly Month, int Opened, int Remediated, double? MedianTtrHours);

/// <summary>Chart-ready monthly series for the Overview.</summary>
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
}
