namespace GovernanceDashboard.Values;

/// <summary>Enum values as the HTTP API and the command line take them: by name, ignoring case.</summary>
public static class EnumNames
{
    /// <summary>False for text that names no value; true with null for no text. Numbers are refused: the contract names values,
    /// and a number would silently depend on the enum's declaration order.</summary>
    public static bool TryParse<T>(string? text, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            || !Enum.TryParse<T>(trimmed, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)) return false;
        value = parsed;
        return true;
    }
}
