using System.Text.Json.Serialization;

namespace GovernanceDashboard.Values;

/// <summary>The JSON the HTTP API and the command line's <c>--json</c> write: web defaults, enums by name.</summary>
public static class JsonFormat
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Masks carry "…": write it as itself, not \u2026 (HTML-sensitive characters stay escaped).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        WriteIndented = false,
    };
}
