using System.Net;

namespace GovernanceDashboard.Platforms;

/// <summary>What a revocation call achieved: accepted (202: "revocation requested"), or the failure in words that never carry the secret.</summary>
public sealed record RevokeAnswer(bool Accepted, int? Status, string? Error)
{
    public static RevokeAnswer Failed(int? status, string error) => new(false, status, error);
}

/// <summary>Whether a token is valid, and what the platform says it is; <see cref="Error"/> when the answer proves nothing.</summary>
public sealed record TokenCheckAnswer
{
    /// <summary>True: the platform accepted the token; false: it answered 401 (invalid or revoked); null: no conclusion.</summary>
    public bool? Valid { get; init; }
    public int? Status { get; init; }
    public string? Error { get; init; }
    public string? Account { get; init; }

    /// <summary>Hugging Face "org:role" pairs (as imports store them), GitHub: not reported by GET /user.</summary>
    public IReadOnlyList<string>? Organizations { get; init; }
    public string? TokenName { get; init; }
    public string? Role { get; init; }
    public IReadOnlyList<string>? Scopes { get; init; }
    public WriteCapability WriteCapability { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public static TokenCheckAnswer Invalid(int status) => new() { Valid = false, Status = status };

    public static TokenCheckAnswer Failed(int? status, string error) => new() { Status = status, Error = error };
}

/// <summary>Turns transport faults into short messages: the URL is the configured base address, the secret is never in them.</summary>
internal static class PlatformFaults
{
    public static string Describe(Exception ex) => ex switch
    {
        TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException => "the platform did not answer in time",
        Polly.CircuitBreaker.BrokenCircuitException => "calls to the platform are paused after repeated failures",
        HttpRequestException { StatusCode: { } code } => $"HTTP {(int)code}",
        HttpRequestException h => "connection failed: " + (h.HttpRequestError.ToString()),
        System.Text.Json.JsonException => "the platform's answer was not the expected JSON",
        _ => ex.GetType().Name,
    };

    public static bool IsFault(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException or TimeoutException or System.Text.Json.JsonException
            or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException;

    public static string StatusText(HttpStatusCode code) => $"HTTP {(int)code} {code}";
}
