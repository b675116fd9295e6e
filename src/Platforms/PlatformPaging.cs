using System.Net;

namespace GovernanceDashboard.Platforms;

/// <summary>What GitHub and Hugging Face say in their headers about paging and rate limits, read once for every reader of them.</summary>
public static class PlatformPaging
{
    /// <summary>The Link header's rel="next" as an absolute address, or null. The caller decides whether a token may be sent there
    /// (<see cref="SameOrigin"/>): a next page on another host must never receive it.</summary>
    public static Uri? NextLink(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.Headers.TryGetValues("Link", out var values)) return null;
        foreach (var part in string.Join(',', values).Split(','))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            if (pieces.Length < 2 || !pieces.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next")) continue;
            return Uri.TryCreate(pieces[0].Trim('<', '>', ' '), UriKind.Absolute, out var uri) ? uri : null;
        }
        return null;
    }

    /// <summary>True when <paramref name="uri"/> has the scheme, host and port of <paramref name="baseAddress"/>.</summary>
    public static bool SameOrigin(Uri uri, Uri? baseAddress) =>
        baseAddress is not null && Uri.Compare(uri, baseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>When a refused answer may be retried: 429 or 403 with <c>retry-after</c> (seconds or a date), or with
    /// <c>x-ratelimit-remaining: 0</c> (until <c>x-ratelimit-reset</c>, epoch seconds); a 429 without either waits a minute, as
    /// GitHub's documentation advises. Null: the answer is not a rate limit (a 403 without those headers is a refusal).</summary>
    public static DateTimeOffset? RetryAt(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var code = response.StatusCode;
        if (code is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)) return null;
        if (response.Headers.RetryAfter is { } after)
            return after.Delta is { } delta ? now + delta : after.Date ?? now.AddMinutes(1);
        if (ExhaustedUntil(response, now) is { } reset) return reset;
        return code == HttpStatusCode.TooManyRequests ? now.AddMinutes(1) : null;
    }

    /// <summary>For any answer, including a 200: when GitHub's budget says no call is left (<c>x-ratelimit-remaining: 0</c>), the
    /// instant it refills (<c>x-ratelimit-reset</c>, or a minute from now); null while calls remain or the platform does not say.</summary>
    public static DateTimeOffset? ExhaustedUntil(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Header(response, "x-ratelimit-remaining") != "0") return null;
        return long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
            ? DateTimeOffset.FromUnixTimeSeconds(reset) is var at && at > now ? at : now.AddSeconds(1)
            : now.AddMinutes(1);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
