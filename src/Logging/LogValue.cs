namespace GovernanceDashboard.Logging;

/// <summary>Makes a value that came from a user safe to put in a log line.</summary>
public static class LogValue
{
    private const int MaxLength = 200;

    /// <summary>Control characters (a newline would start a forged log line) and line/paragraph separators become
    /// visible <c>\uXXXX</c> escapes; a long value is cut, so a request cannot flood the log.</summary>
    public static string Clean(string? value)
    {
        if (value is null) return "";
        var text = value.Length > MaxLength ? value[..MaxLength] + "…" : value;
        if (!text.Any(IsUnsafe)) return text;
        var clean = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c)) clean.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            else clean.Append(c);
        }
        return clean.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' || char.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
