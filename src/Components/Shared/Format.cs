namespace GovernanceDashboard.Components.Shared;

/// <summary>How figures read on screen, on every page and chart alike: ratios as percent, durations in hours under two days
/// and in days above, dates on one line (relative where recency matters), null as a dash.</summary>
public static class Format
{
    /// <summary>Below this many hours a duration reads in hours, from it in days.</summary>
    public const double DaysFromHours = 48;

    /// <summary>A blast-radius score with one decimal; "—" for 0 (read-only, revoked, expired, or never measured).</summary>
    public static string Score(double score) => score > 0 ? score.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "—";

    public static string Hours(double? hours) => hours switch
    {
        null => "—",
        < DaysFromHours => string.Create(CultureInfo.InvariantCulture, $"{hours.Value:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{hours.Value / 24:0.#} days"),
    };

    /// <summary>The one unit a chart's duration axis uses for all its values: hours when the largest is under two days,
    /// days otherwise (a column never mixes "40 h" with "315 days").</summary>
    public static (string Unit, double HoursPer) DurationScale(IEnumerable<double?> hours)
    {
        var max = hours.Where(h => h is not null).Select(h => h!.Value).DefaultIfEmpty(0).Max();
        return max < DaysFromHours ? ("hours", 1) : ("days", 24);
    }

    public static string Date(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string Day(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    /// <summary>The full instant for a hover: "2026-03-01 14:05 UTC".</summary>
    public static string Full(DateTimeOffset? at) => at is { } t ? Date(t) + " UTC" : "";

    /// <summary>How long ago (or how far ahead) <paramref name="at"/> is: "just now", "5 min ago", "3 h ago", "12 days ago",
    /// "in 4 days"; beyond a year the date itself.</summary>
    public static string Relative(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t) return "—";
        var span = now - t;
        var future = span < TimeSpan.Zero;
        var abs = span.Duration();
        if (abs.TotalDays >= 365) return Day(t);
        var text = abs switch
        {
            { TotalMinutes: < 1 } => null,
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)abs.TotalMinutes} min"),
            { TotalHours: < DaysFromHours } => string.Create(CultureInfo.InvariantCulture, $"{(int)abs.TotalHours} h"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)abs.TotalDays} days"),
        };
        return text is null ? "just now" : future ? "in " + text : text + " ago";
    }

    /// <summary>A count with its noun: "1 token", "3 tokens".</summary>
    public static string Count(int count, string noun, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? noun : plural ?? noun + "s")}");
}
