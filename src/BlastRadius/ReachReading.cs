using System.Net;

namespace GovernanceDashboard.BlastRadius;

/// <summary>What a reader got from a platform with a token: the artefacts read so far, whether that is all of them, and if not why:
/// a rate limit (retry at <see cref="RetryAt"/>), the token refused (<see cref="Invalid"/>), or a failure in words without the secret.</summary>
public sealed record ReachReading(IReadOnlyList<ReachedArtefact> Artefacts, bool Complete, DateTimeOffset? RetryAt = null, bool Invalid = false,
    string? Error = null, string? Account = null);

/// <summary>The calls both readers make with a token: follows rel="next" only on the configured host (the token goes nowhere
/// else), stops at a rate limit or a failure, and remembers when GitHub said its budget is spent so that no call is made in vain.</summary>
internal sealed class ReachCalls(HttpClient http, Func<string, HttpRequestMessage> request, TimeProvider clock)
{
    public sealed record Stop(DateTimeOffset? RetryAt, bool Invalid, string Error, int? Status = null);

    /// <summary>Set once an answer said no call is left (<c>x-ratelimit-remaining: 0</c>): the instant the budget refills.</summary>
    public DateTimeOffset? ExhaustedUntil { get; private set; }

    /// <summary>Reads every page from <paramref name="first"/>, giving each page's JSON to <paramref name="page"/>; returns null when
    /// all were read, or why it stopped (what was read before stays with the caller).</summary>
    public async Task<Stop?> ReadAllAsync(string first, Action<JsonElement> page, CancellationToken ct)
    {
        string? next = first;
        while (next is not null)
        {
            if (ExhaustedUntil is { } spent) return new Stop(spent, false, $"rate limit spent until {spent:u}");
            using var message = request(next);
            using var response = await http.SendAsync(message, ct);
            var now = clock.GetUtcNow();
            if (PlatformPaging.RetryAt(response, now) is { } retryAt)
                return new Stop(retryAt, false, $"rate limited (HTTP {(int)response.StatusCode}) until {retryAt:u}");
            if (response.StatusCode == HttpStatusCode.Unauthorized) return new Stop(null, true, "the platform refused the token (HTTP 401)");
            if (response.StatusCode != HttpStatusCode.OK) return new Stop(null, false, PlatformFaults.StatusText(response.StatusCode), (int)response.StatusCode);
            ExhaustedUntil = PlatformPaging.ExhaustedUntil(response, now);
            using (var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct))
                page(json.RootElement);
            var link = PlatformPaging.NextLink(response);
            if (link is not null && !PlatformPaging.SameOrigin(link, http.BaseAddress))
                return new Stop(null, false, "the platform's next page points to another host; reading stopped");
            next = link?.ToString();
        }
        return null;
    }
}

/// <summary>Reading the platforms' JSON leniently: a missing or mistyped field is absent, never an exception.</summary>
internal static class JsonFields
{
    public static string? Text(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long Number(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    public static bool Flag(JsonElement e, string property) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.True;
}
