namespace GovernanceDashboard.Metrics;

/// <summary>The few statistics docs/metrics.md fixes exactly.</summary>
public static class Statistics
{
    /// <summary>A ratio with a zero denominator is null, never 0 or NaN.</summary>
    public static double? Ratio(int numerator, int denominator) =>
        denominator == 0 ? null : (double)numerator / denominator;

    /// <summary>Percentile by linear interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC).
    /// The two closest ranks are selected, not sorted (linear on average); <paramref name="values"/> is reordered.</summary>
    public static double? Percentile(double[] values, double p)
    {
        if (values.Length == 0) return null;
        var rank = p * (values.Length - 1);
        var lower = (int)Math.Floor(rank);
        Algorithms.Quickselect.SelectNth(values.AsSpan(), lower);
        var below = values[lower];
        // After selecting rank `lower`, the next rank is the smallest value to its right.
        var above = below;
        if (lower + 1 < values.Length)
        {
            above = double.PositiveInfinity;
            for (var i = lower + 1; i < values.Length; i++) above = Math.Min(above, values[i]);
        }
        return below + (rank - lower) * (above - below);
    }
}
