namespace GovernanceDashboard.Components.Shared;

/// <summary>Reading list filters back from the query string: enum values by name or number, ignoring case; anything else
/// is no filter (a hand-edited URL never breaks the page).</summary>
public static class QueryValues
{
    public static TEnum? Enum<TEnum>(string? value) where TEnum : struct, System.Enum =>
        System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) ? parsed : null;

    public static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static bool Flag(string? value) => value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
