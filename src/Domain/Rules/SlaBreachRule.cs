namespace GovernanceDashboard.Domain.Rules;

/// <summary>docs/metrics.md SLA breach, the one definition: an open exposure is past its SLA once strictly more than its
/// severity's target has passed since detection. The metrics compare ages in UTC milliseconds over the in-memory facts, the
/// exposure lists in hours; both through <see cref="Breached{T}"/>. Queries (the list's filter, the breach notices) ask it
/// as <see cref="DetectedBefore"/>.</summary>
/// <remarks>Generic over the age's type (see <see cref="TokenStatusRule"/>) so the facts' loop keeps a plain comparison.</remarks>
public static class SlaBreachRule
{
    private const long MillisPerHour = 3_600_000;

    /// <summary>Breached, for an exposure open at the instant <paramref name="age"/> is measured to.</summary>
    public static bool Breached<T>(T age, T target) where T : struct, IComparable<T> => age.CompareTo(target) > 0;

    /// <summary>A severity's target in whole milliseconds, the scale of the facts' instants.</summary>
    public static long TargetMillis(double slaHours) => (long)Math.Round(slaHours * MillisPerHour);

    /// <summary>The instant after which an exposure detected at <paramref name="detected"/> is breached.</summary>
    public static DateTimeOffset Deadline(DateTimeOffset detected, double slaHours) => detected.AddMilliseconds(TargetMillis(slaHours));

    /// <summary>The same rule as a query asks it of an exposure open at <paramref name="now"/>: breached when detected before
    /// this instant (which uses the (State, DetectedAt) index rather than computing every exposure's age).</summary>
    public static DateTimeOffset DetectedBefore(DateTimeOffset now, double slaHours) => now.AddMilliseconds(-TargetMillis(slaHours));
}
