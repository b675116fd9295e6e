namespace GovernanceDashboard.Components.Shared;

/// <summary>How figures read on screen: ratios as percent, null as a dash.</summary>
public static class Format
{
    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " %" : "—";

    public static string Hours(double? hours) => hours switch
    {
        null => "—",
        < 48 => $"{hours.Value:0.#} h",
        _ => $"{hours.Value / 24:0.#} days",
    };

    public static string Date(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
