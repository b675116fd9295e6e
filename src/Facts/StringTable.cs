namespace GovernanceDashboard.Facts;

/// <summary>Each distinct string once, numbered: the projection keeps numbers per row, so a filter on text compares each
/// distinct value once (accounts, organisations, repositories and masks repeat across many rows).</summary>
internal sealed class StringTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public int Count => _values.Count;

    public string this[int index] => _values[index];

    /// <summary>The number of <paramref name="value"/>, added when new; -1 for null.</summary>
    public int Intern(string? value)
    {
        if (value is null) return -1;
        if (_index.TryGetValue(value, out var index)) return index;
        _index[value] = index = _values.Count;
        _values.Add(value);
        return index;
    }

    /// <summary>The number of <paramref name="value"/>, or -1 when it is not in the table.</summary>
    public int IndexOf(string value) => _index.GetValueOrDefault(value, -1);

    private sealed record Ranking(int Count, int[] Ranks);

    private Ranking? _ranks;

    /// <summary>Each value's rank in ordinal order (for sorting rows by it), computed again only after values were added.</summary>
    /// <remarks>Called under the facts' read lock by concurrent readers: each builds or reuses a complete array.</remarks>
    public int[] OrdinalRanks()
    {
        if (Volatile.Read(ref _ranks) is { } cached && cached.Count == _values.Count) return cached.Ranks;
        var order = Enumerable.Range(0, _values.Count).ToArray();
        var values = _values.ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(values[a], values[b]));
        var ranks = new int[order.Length];
        for (var r = 0; r < order.Length; r++) ranks[order[r]] = r;
        Volatile.Write(ref _ranks, new Ranking(order.Length, ranks));
        return ranks;
    }

    /// <summary>Which numbers stand for values containing <paramref name="text"/> (ignoring case).</summary>
    public bool[] Containing(string text)
    {
        var hits = new bool[_values.Count];
        for (var i = 0; i < hits.Length; i++) hits[i] = _values[i].Contains(text, StringComparison.OrdinalIgnoreCase);
        return hits;
    }
}
