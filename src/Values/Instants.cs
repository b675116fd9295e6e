namespace GovernanceDashboard.Values;

/// <summary>Instants as the HTTP API, the command line and the pages take them: ISO-8601, UTC when no offset is given.</summary>
public static class Instants
{
    /// <summary>False for text that is not an instant; true with null for no text (the argument was left out).</summary>
    public static bool TryParse(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        instant = parsed;
        return true;
    }
}
