namespace GovernanceDashboard.Values;

/// <summary>A list's order as its page's query string holds it: "detected" ascending, "-detected" descending, the key being a
/// column's name in <typeparamref name="TKey"/> (any case). The enum's first value is the list's own order, and so is
/// anything the enum does not name: a hand-edited URL never breaks the page.</summary>
public readonly record struct ListSort<TKey>(TKey Key, bool Descending = false) where TKey : struct, Enum
{
    public static ListSort<TKey> Parse(string? value)
    {
        var text = value?.Trim() ?? "";
        var descending = text.StartsWith('-');
        return EnumNames.TryParse<TKey>(descending ? text[1..] : text, out var key) && key is { } k ? new ListSort<TKey>(k, descending) : default;
    }

    /// <summary>The list's own order (the enum's first value).</summary>
    public bool IsDefault => EqualityComparer<TKey>.Default.Equals(Key, default);

    /// <summary>The query-string form ("-detected"); null for the list's own order.</summary>
    public string? Value => IsDefault ? null : (Descending ? "-" : "") + Key.ToString().ToLowerInvariant();
}
