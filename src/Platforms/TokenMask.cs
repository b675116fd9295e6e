namespace GovernanceDashboard.Platforms;

/// <summary>The only form in which a secret may be shown: its known prefix and last four characters.</summary>
public static class TokenMask
{
    /// <summary>Shown for a token no scanner gave the value of (masked SARIF, hidden GitHub alert).</summary>
    public const string NotAvailable = "secret not available";

    private const string Ellipsis = "…";
    private const int Tail = 4;

    /// <summary>"hf_…x9Qz" for a known prefix; "AKIA…MPLE" for an unknown one of 16+ characters; only the tail, or nothing, for shorter values.</summary>
    public static string For(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return NotAvailable;
        // Multi-line values (private keys) end in a newline; the mask should show characters, not whitespace.
        var value = secret.Trim();

        if (TokenClassifier.KnownPrefixOf(value) is { } prefix)
        {
            var body = value.Length - prefix.Length;
            // The prefix is public knowledge; the tail is only shown when it is a small part of the body.
            return body >= 2 * Tail ? prefix + Ellipsis + Printable(Last(value, Tail)) : prefix + Ellipsis;
        }

        if (value.Length >= 4 * Tail) return Printable(First(value, Tail)) + Ellipsis + Printable(Last(value, Tail));
        if (value.Length >= 2 * Tail) return Ellipsis + Printable(Last(value, Tail));
        return Ellipsis;
    }

    private static string First(string value, int count)
    {
        // Never cut a surrogate pair in half.
        if (char.IsHighSurrogate(value[count - 1])) count++;
        return value[..Math.Min(count, value.Length)];
    }

    private static string Last(string value, int count)
    {
        var start = value.Length - count;
        if (start > 0 && char.IsLowSurrogate(value[start])) start--;
        return value[start..];
    }

    private static string Printable(string part) =>
        string.Create(part.Length, part, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '·' : source[i];
        });
}
