namespace GovernanceDashboard.Metrics;

/// <summary>The few statistics docs/metrics.md fixes exactly, and the selection they (and the inventory's pages) rest on.</summary>
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
        SelectNth(values.AsSpan(), lower);
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

    /// <summary>Puts the item of rank <paramref name="k"/> at k, smaller ones before it and larger ones after
    /// (quickselect, Hoare partition).</summary>
    public static void SelectNth<T>(Span<T> items, int k) where T : IComparable<T>
    {
        int lo = 0, hi = items.Length - 1;
        var random = new Random(items.Length);
        while (lo < hi)
        {
            var pivot = items[random.Next(lo, hi + 1)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (items[i].CompareTo(pivot) < 0) i++;
                while (items[j].CompareTo(pivot) > 0) j--;
                if (i <= j)
                {
                    (items[i], items[j]) = (items[j], items[i]);
                    i++;
                    j--;
                }
            }
            // Now [lo..j] ≤ pivot ≤ [i..hi], and what lies between equals the pivot.
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }
}
