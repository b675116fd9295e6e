namespace GovernanceDashboard.Domain.Rules;

/// <summary>When an exposure is open, the one definition: detected by the instant, and neither remediated nor dismissed by
/// then. Used by <see cref="Exposure.IsOpenAt"/> and the in-memory facts (instants as UTC milliseconds).</summary>
/// <remarks>Generic over the instant type (see <see cref="TokenStatusRule"/>); a missing closing instant is the type's
/// maximum. Reopening clears the closing instant, so the two instants alone say whether it is closed.</remarks>
public static class ExposureOpenRule
{
    public static bool IsOpenAt<T>(T detected, T remediated, T dismissed, T at) where T : struct, IComparable<T> =>
        detected.CompareTo(at) <= 0 && remediated.CompareTo(at) > 0 && dismissed.CompareTo(at) > 0;
}
