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

    /// <summary><see cref="Percentile"/> without sorting: selects the two closest ranks (linear on average); reorders
    /// <paramref name="values"/>.</summary>
    public static double? PercentileOfUnsorted(double[] values, double p)
    {
        if (values.Length == 0) return null;
        var rank = p * (values.Length - 1);
        var lower = (int)Math.Floor(rank);
        var below = Select(values, lower);
        // After selecting rank `lower`, the next rank is the smallest value to its right.
        var above = below;
        if (lower + 1 < values.Length)
        {
            above = double.PositiveInfinity;
            for (var i = lower + 1; i < values.Length; i++) above = Math.Min(above, values[i]);
        }
        return below + (rank - lower) * (above - below);
    }

    /// <summary>Puts the value of rank <paramref name="k"/> at k, smaller ones before it and larger ones after (Hoare).</summary>
    private static double Select(double[] items, int k)
    {
        int lo = 0, hi = items.Length - 1;
        var random = new Random(items.Length);
        while (lo < hi)
        {
            var pivot = items[random.Next(lo, hi + 1)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (items[i] < pivot) i++;
                while (items[j] > pivot) j--;
                if (i <= j)
                {
                    (items[i], items[j]) = (items[j], items[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else break;
        }
        return items[k];
    }
}
