using System.Buffers.Text;
using System.Text.Unicode;

namespace GovernanceDashboard.Importers;

/// <summary>Small readings of what scanners write: odd timestamps, "name &lt;addr&gt;" emails, masked or base64 secrets.</summary>
internal static class ScannerText
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    private static readonly DateTimeOffset MinPlausible = new(1970, 1, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MaxPlausible = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>ISO 8601, RFC 1123, Go's "2022-06-16 10:17:40 -0700 -0700" / "… +0000 UTC", or digits of Unix time; null when hopeless.</summary>
    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();

        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)) return FromUnix(unix);

        // The shape nearly every TruffleHog line carries ("2022-06-16 10:17:40 -0700 -0700"), read by position with the
        // same outcome as the general reading below: that one (split, exact formats) was 4 % of a TruffleHog import's CPU.
        if (TryPlainDateTime(s, out var plain) && (s.Length == PlainLength || s[PlainLength] == ' '))
        {
            var offset = TimeSpan.Zero;
            foreach (var range in s.AsSpan(PlainLength).Split(' '))
            {
                var part = s.AsSpan(PlainLength)[range];
                if (part.Length > 0 && TryOffset(part, out offset)) break;
            }
            return Plausible(Make(plain, offset));
        }

        // "date time [offset] [zone or offset again]": Go's time.String() and git's log dates.
        var parts = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2 && TryDateTime(parts[0] + " " + parts[1], out var local))
        {
            var offset = TimeSpan.Zero;
            var foundOffset = parts.Length == 2;
            for (var i = 2; i < parts.Length && !foundOffset; i++)
            {
                if (TryOffset(parts[i], out offset)) foundOffset = true;
            }
            if (foundOffset || parts.Length > 2) return Plausible(Make(local, offset));
        }

        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return Plausible(parsed);
        }
        return null;
    }

    public static DateTimeOffset? FromUnix(double seconds)
    {
        // Milliseconds are common too: anything past the year 5000 in seconds is read as milliseconds.
        if (double.IsNaN(seconds) || double.IsInfinity(seconds)) return null;
        if (Math.Abs(seconds) > 95_617_584_000) seconds /= 1000;
        if (seconds is < -62_135_596_800 or > 253_402_300_799) return null;
        return Plausible(DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)));
    }

    private static DateTimeOffset? Plausible(DateTimeOffset? value) =>
        value is { } v && v >= MinPlausible && v < MaxPlausible ? v : null;

    private static DateTimeOffset? Make(DateTime local, TimeSpan offset)
    {
        try
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool TryDateTime(string text, out DateTime value) =>
        DateTime.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>"yyyy-MM-dd HH:mm:ss" at the start of the text (what <see cref="DateTimeFormats"/>' first format reads).</summary>
    private const int PlainLength = 19;

    private static bool TryPlainDateTime(ReadOnlySpan<char> s, out DateTime value)
    {
        value = default;
        if (s.Length < PlainLength || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':') return false;
        if (!Number(s[..4], out var year) || !Number(s[5..7], out var month) || !Number(s[8..10], out var day)
            || !Number(s[11..13], out var hour) || !Number(s[14..16], out var minute) || !Number(s[17..19], out var second)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    private static bool Number(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is "Z" or "UTC" or "GMT" or "z") return true;
        if (text.Length is not (5 or 6) || text[0] is not ('+' or '-')) return false;
        if (text.Length == 6 && text[3] != ':') return false;
        if (!Number(text[1..3], out var hours) || !Number(text[^2..], out var minutes)) return false;
        if (text.Length == 5 && !char.IsAsciiDigit(text[3])) return false;
        if (hours > 14 || minutes > 59) return false;
        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-') offset = -offset;
        return true;
    }

    /// <summary>"Jane Doe &lt;jane@example.com&gt;" → "jane@example.com"; a bare address is kept; empty → null. A masked
    /// value ("****" from gitleaks --redact baselines) or anything without an "@" is not an address: null, so that it is
    /// never matched against the directory or shown as someone's e-mail.</summary>
    public static string? Email(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        var open = s.LastIndexOf('<');
        var close = s.LastIndexOf('>');
        if (open >= 0 && close > open + 1) s = s[(open + 1)..close].Trim();
        if (s.Length == 0 || IsMasked(s) || s.Contains('*', StringComparison.Ordinal)) return null;
        var at = s.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < s.Length - 1 ? s : null;
    }

    /// <summary>A commit id of all zeros is what scanners write when there was no commit (gitleaks --no-git).</summary>
    public static string? Commit(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        return s.All(c => c == '0') ? null : s;
    }

    /// <summary>Repository URLs compare equal with or without ".git" and a trailing slash.</summary>
    public static string? Repository(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim().TrimEnd('/');
        if (s.EndsWith(".git", StringComparison.OrdinalIgnoreCase) && s.Contains("://", StringComparison.Ordinal)) s = s[..^4];
        return s.Length == 0 || s == "." ? null : s;
    }

    /// <summary>The repository URL in a blob link such as https://github.com/org/repo/blob/sha/path#L4.</summary>
    public static string? RepositoryFromLink(string? link)
    {
        if (string.IsNullOrWhiteSpace(link)) return null;
        var blob = link.IndexOf("/blob/", StringComparison.Ordinal);
        if (blob <= 0 || !link.Contains("://", StringComparison.Ordinal)) return null;
        return Repository(link[..blob]);
    }

    /// <summary>The repository URL of a finding whose repository is given only by name ("ralph", or "owner/ralph") and
    /// whose link points into it (TruffleHog's findings on GitHub issue and pull-request comments):
    /// https://github.com/allegro/ralph/issues/2298#issuecomment-1 with "ralph" → https://github.com/allegro/ralph.
    /// A repository that is already a URL, or a name the link does not contain, is returned as it was.</summary>
    public static string? RepositoryUsingLink(string? repository, string? link)
    {
        var named = Repository(repository);
        if (named is null || named.Contains("://", StringComparison.Ordinal) || named.Contains('@', StringComparison.Ordinal)) return named;
        if (string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return named;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2) return named;
        var repo = segments[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? segments[1][..^4] : segments[1];
        var matches = string.Equals(named, repo, StringComparison.OrdinalIgnoreCase)
            || string.Equals(named, segments[0] + "/" + repo, StringComparison.OrdinalIgnoreCase);
        return matches ? $"{uri.Scheme}://{uri.Authority}/{segments[0]}/{repo}" : named;
    }

    /// <summary>True when a scanner has masked the value (gitleaks --redact, secretlint) instead of giving it. gitleaks
    /// --redact=N (N &lt; 100) keeps the head and appends "...".</summary>
    public static bool IsMasked(string value) =>
        value.Contains("***", StringComparison.Ordinal)
        || value.TrimEnd().EndsWith("...", StringComparison.Ordinal)
        || value.Contains("REDACTED", StringComparison.OrdinalIgnoreCase)
        || value.Contains("•••", StringComparison.Ordinal)
        || value.Contains('…');

    /// <summary>True when the scanner gave no usable value: masked, or only a PEM armour line ("-----BEGIN … KEY-----")
    /// without the key, which every private key shares and so cannot name one.</summary>
    public static bool GivesNoValue(string value) => IsMasked(value) || IsPemArmourOnly(value);

    private static bool IsPemArmourOnly(string value)
    {
        var s = value.Trim();
        return s.StartsWith("-----BEGIN ", StringComparison.Ordinal) && s.EndsWith("-----", StringComparison.Ordinal) && !s.Contains('\n', StringComparison.Ordinal)
            && s.Length < 80;
    }

    /// <summary>A snippet is only taken as the secret when it looks like one value: one line, no spaces or quotes, token-sized.</summary>
    public static bool IsPlausibleSingleSecret(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        var s = value.Trim();
        if (s.Length is < 8 or > 4096 || IsMasked(s)) return false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '`' or '<' or '>' or '(' or ')' or '{' or '}' or '[' or ']' or ',' or ';') return false;
        }
        // "password=..." or "TOKEN: ..." lines are code, not a value.
        return !(s.Contains('=', StringComparison.Ordinal) && TokenClassifier.KnownPrefixOf(s) is null && !s.EndsWith('='));
    }

    /// <summary>Older TruffleHog builds write Raw as base64. Returns the decoded text when the value is valid base64 of
    /// printable UTF-8 and the scanner's redacted form (when given) agrees with the decoding rather than the raw text.</summary>
    public static string DecodeRawIfBase64(string raw, string? redacted)
    {
        if (TokenClassifier.KnownPrefixOf(raw) is not null) return raw;
        if (!TryDecodeBase64Text(raw, out var decoded)) return raw;
        if (TokenClassifier.KnownPrefixOf(decoded) is not null) return decoded;
        if (!string.IsNullOrEmpty(redacted))
        {
            if (MatchesRedacted(decoded, redacted)) return decoded;
            if (MatchesRedacted(raw, redacted)) return raw;
        }
        return decoded;
    }

    private static bool TryDecodeBase64Text(string raw, out string decoded)
    {
        decoded = "";
        var s = raw.Trim();
        if (s.Length < 8 || s.Length % 4 != 0) return false;
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(s.Length)];
        if (!Convert.TryFromBase64String(s, bytes, out var written) || written == 0) return false;
        var span = bytes.AsSpan(0, written);
        if (!Utf8.IsValid(span)) return false;
        var text = Encoding.UTF8.GetString(span);
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) return false;
            if (c == '\uFFFD') return false;
        }
        decoded = text;
        return true;
    }

    // TruffleHog's Redacted keeps parts of the value and stars the rest, or a truncated head: every visible piece must
    // appear in order.
    private static bool MatchesRedacted(string candidate, string redacted)
    {
        var at = 0;
        var any = false;
        foreach (var piece in redacted.Split('*', StringSplitOptions.RemoveEmptyEntries))
        {
            var found = candidate.IndexOf(piece, at, StringComparison.Ordinal);
            if (found < 0) return false;
            at = found + piece.Length;
            any = true;
        }
        return any;
    }

    /// <summary>The key of a finding that carries no secret: tool + rule + where + line + column [+ fingerprint].</summary>
    public static string LocationKey(string tool, string? rule, string? where, int? line, int? column, string? fingerprint = null)
    {
        var key = string.Create(CultureInfo.InvariantCulture,
            $"{tool.ToLowerInvariant()}|{rule}|{where}|{line}|{column}");
        return string.IsNullOrEmpty(fingerprint) ? key : key + "|" + fingerprint;
    }
}
