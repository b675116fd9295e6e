using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GovernanceDashboard.Api;

/// <summary>Parsing and serialisation shared by the API and the command line.</summary>
public static class ApiArguments
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Masks carry "…": write it as itself, not \u2026 (HTML-sensitive characters stay escaped).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        WriteIndented = false,
    };

    public static bool TryInstant(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        instant = parsed;
        return true;
    }

    public static IResult BadInstant(string name) =>
        Results.Problem($"{name} must be an ISO-8601 instant, for example 2026-11-28T00:00:00Z.", statusCode: StatusCodes.Status400BadRequest);
}
