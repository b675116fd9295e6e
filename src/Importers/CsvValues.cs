namespace GovernanceDashboard.Importers;

/// <summary>Readings of CSV cell values shared by the people and owners files.</summary>
internal static class CsvValues
{
    /// <summary>A trimmed, lower-cased address with one "@" and no spaces, or null.</summary>
    public static string? Email(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        var at = value.IndexOf('@');
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || value.Any(char.IsWhiteSpace)) return null;
        return value.ToLowerInvariant();
    }

    public static bool? Bool(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "y" => true,
        "false" or "no" or "0" or "n" => false,
        _ => null,
    };

    /// <summary>A cell quoted for an error message, cut short: these files hold no secrets, but a message need not hold a whole cell.</summary>
    public static string Quote(string? value)
    {
        if (value is null) return "empty";
        var shown = value.Length > 40 ? value[..40] + "…" : value;
        return "\"" + shown + "\"";
    }
}
