namespace GovernanceDashboard.Algorithms;

/// <summary>Selection without sorting, shared by the metrics' percentiles and the inventory's deep pages.</summary>
public static class Quickselect
{
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
