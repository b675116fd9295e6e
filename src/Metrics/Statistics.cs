namespace GovernanceDashboard.Metrics;

/// <summary>The few statistics METRICS.md fixes exactly.</summary>
public static class Statistics
{
    /// <summary>A ratio with a zero denominator is null, never 0 or NaN.</summary>
    public static double? Ratio(int numerator, int denominator) =>
        denominator == 0 ? null : (double)numerator / denominator;

    /// <summary>Percentile by linear interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC).</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }
}
