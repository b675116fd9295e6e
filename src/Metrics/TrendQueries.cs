namespace GovernanceDashboard.Metrics;

/// <summary>One month of exposure activity: opened, remediated, and the median time to remediate of those remediated in it.</summary>
public sealed record MonthlyExposures(DateOnly Month, int Opened, int Remediated, double? MedianTtrHours);

/// <summary>One week (starting Monday): exposures opened and closed (remediated or dismissed).</summary>
public sealed record WeeklyExposures(DateOnly WeekStart, int Opened, int Closed);

/// <summary>Time to remediate of the exposures remediated in one month.</summary>
public sealed record MonthlyTtr(DateOnly Month, int Count, double? MedianHours, double? P90Hours);

/// <summary>Chart-ready series for the Overview, Exposures and Reports pages: one pass over the in-memory exposures.</summary>
public sealed class TrendQueries(GovernanceFacts facts, TimeProvider clock)
{
    private const long Day = 86_400_000;

    public Task<IReadOnlyList<MonthlyExposures>> ExposuresByMonthAsync(int months = 12, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        var (firstMonth, bounds, end) = Months(asOf ?? clock.GetUtcNow(), months);
        return facts.ReadAsync<IReadOnlyList<MonthlyExposures>>(f =>
        {
            var e = f.Exposures;
            var opened = new int[months];
            var hours = Enumerable.Range(0, months).Select(_ => new List<double>()).ToArray();
            for (var id = 1; id <= e.MaxId; id++)
            {
                if (!e.Present[id]) continue;
                if (e.Detected[id] <= end && MonthIndex(bounds, e.Detected[id]) is var o and >= 0) opened[o]++;
                if (e.State[id] == (byte)ExposureState.Remediated && e.Remediated[id] <= end && MonthIndex(bounds, e.Remediated[id]) is var r and >= 0)
                    hours[r].Add(FactTables.Hours(e.Remediated[id] - e.Detected[id]));
            }
            return Enumerable.Range(0, months).Select(i => new MonthlyExposures(firstMonth.AddMonths(i), opened[i], hours[i].Count,
                Statistics.Percentile([.. hours[i]], 0.5))).ToList();
        }, ct);
    }

    /// <param name="scope">only these exposures (the page's filters); null for all</param>
    public Task<IReadOnlyList<WeeklyExposures>> ExposuresByWeekAsync(int weeks = 26, DateTimeOffset? asOf = null, ExposureScope? scope = null, CancellationToken ct = default)
    {
        var at = asOf ?? clock.GetUtcNow();
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        var firstWeek = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(-7 * (weeks - 1));
        var from = FactTables.Millis(new DateTimeOffset(firstWeek.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var end = FactTables.Millis(at);
        return facts.ReadAsync<IReadOnlyList<WeeklyExposures>>(f =>
        {
            var e = f.Exposures;
            var opened = new int[weeks];
            var closed = new int[weeks];
            int Week(long t) => (int)Math.Clamp(Math.Floor((t - from) / (7.0 * Day)), 0, weeks - 1);
            bool InWindow(long t) => t >= from && t <= end;
            var inScope = scope?.Matcher(f);
            for (var id = 1; id <= e.MaxId; id++)
            {
                if (!e.Present[id] || (inScope is not null && !inScope(id))) continue;
                if (InWindow(e.Detected[id])) opened[Week(e.Detected[id])]++;
                // Closed in the window: remediated or dismissed (the remediation's week when both are known).
                if (InWindow(e.Remediated[id]) || InWindow(e.Dismissed[id]))
                    closed[Week(e.Remediated[id] != FactTables.Never ? e.Remediated[id] : e.Dismissed[id])]++;
            }
            return Enumerable.Range(0, weeks).Select(i => new WeeklyExposures(firstWeek.AddDays(7 * i), opened[i], closed[i])).ToList();
        }, ct);
    }

    /// <summary>Median and p90 time to remediate of the exposures remediated in each month (dismissals excluded).</summary>
    /// <param name="scope">only these exposures (the page's filters); null for all</param>
    public Task<IReadOnlyList<MonthlyTtr>> TimeToRemediateByMonthAsync(int months = 12, DateTimeOffset? asOf = null, ExposureScope? scope = null, CancellationToken ct = default)
    {
        var (firstMonth, bounds, end) = Months(asOf ?? clock.GetUtcNow(), months);
        return facts.ReadAsync<IReadOnlyList<MonthlyTtr>>(f =>
        {
            var e = f.Exposures;
            var hours = Enumerable.Range(0, months).Select(_ => new List<double>()).ToArray();
            var inScope = scope?.Matcher(f);
            for (var id = 1; id <= e.MaxId; id++)
                if (e.Present[id] && (inScope is null || inScope(id)) && e.State[id] == (byte)ExposureState.Remediated && e.Remediated[id] <= end && MonthIndex(bounds, e.Remediated[id]) is var m and >= 0)
                    hours[m].Add(FactTables.Hours(e.Remediated[id] - e.Detected[id]));
            return Enumerable.Range(0, months).Select(i =>
            {
                double[] values = [.. hours[i]];
                return new MonthlyTtr(firstMonth.AddMonths(i), values.Length, Statistics.Percentile(values, 0.5), Statistics.Percentile(values, 0.9));
            }).ToList();
        }, ct);
    }

    /// <summary>The last <paramref name="months"/> months up to <paramref name="at"/>: the first month, the first instant of
    /// each and the end of the last (for <see cref="MonthIndex"/>), and <paramref name="at"/> in milliseconds.</summary>
    private static (DateOnly First, long[] Bounds, long End) Months(DateTimeOffset at, int months)
    {
        var first = new DateOnly(at.Year, at.Month, 1).AddMonths(-(months - 1));
        var bounds = Enumerable.Range(0, months + 1)
            .Select(i => FactTables.Millis(new DateTimeOffset(first.AddMonths(i).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))).ToArray();
        return (first, bounds, FactTables.Millis(at));
    }

    /// <summary>Which month <paramref name="t"/> falls in, or -1 outside them all.</summary>
    private static int MonthIndex(long[] bounds, long t)
    {
        if (t < bounds[0] || t >= bounds[^1]) return -1;
        var i = Array.BinarySearch(bounds, t);
        return i >= 0 ? i : ~i - 1;
    }
}
