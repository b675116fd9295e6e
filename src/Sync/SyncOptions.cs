namespace GovernanceDashboard.Sync;

/// <summary>What the alert sync reads: <c>GitHub:Organizations</c> (a list, or one comma-separated value), <c>GitHub:WebhookSecret</c>
/// (environment variable or user secrets, never the file) and <c>Sync:IntervalMinutes</c>.</summary>
public sealed class SyncOptions
{
    public IReadOnlyList<string> Organizations { get; init; } = [];

    /// <summary>The webhook's shared secret; without it every delivery is refused.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>How often the scheduled pull runs (0: only on demand).</summary>
    public double IntervalMinutes { get; init; } = 60;

    public static SyncOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("GitHub:Organizations");
        IEnumerable<string?> listed = section.Value is { } single ? single.Split(',') : section.GetChildren().Select(c => c.Value);
        return new SyncOptions
        {
            Organizations = [.. listed.Select(o => o?.Trim()).Where(o => !string.IsNullOrEmpty(o)).Select(o => o!).Distinct(StringComparer.OrdinalIgnoreCase)],
            WebhookSecret = configuration["GitHub:WebhookSecret"] is { Length: > 0 } secret ? secret : null,
            IntervalMinutes = configuration.GetValue("Sync:IntervalMinutes", 60.0),
        };
    }

    /// <summary>An organisation or repository owner as GitHub allows it (letters, digits, hyphens), so it can go into a path.</summary>
    public static bool IsValidOwner(string? name) =>
        name is { Length: > 0 and <= 100 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>"owner/repo" as GitHub allows it.</summary>
    public static bool IsValidRepository(string? fullName) =>
        fullName?.Split('/') is [var owner, var repo] && IsValidOwner(owner)
        && repo is { Length: > 0 and <= 100 } && repo is not "." and not ".." && repo.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
