using Microsoft.AspNetCore.Components;

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

/// <summary>A paged list's page in the query string ("?page=3", counted from 1) and the grid's own index (from 0).</summary>
public static class PageIndex
{
    /// <summary>The grid's index for "?page=N"; missing, zero or negative is the first page.</summary>
    public static int Of(int? page) => page is > 1 ? page.Value - 1 : 0;

    /// <summary>The current address on another page; the first page drops the parameter, so a plain link stays plain.</summary>
    public static string Uri(NavigationManager nav, int index) =>
        nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["page"] = index > 0 ? index + 1 : null });
}
