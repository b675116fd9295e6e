namespace GovernanceDashboard.Metrics;

/// <summary>Published figures the dashboard compares the organisation with (see the README's introduction).</summary>
public static class IndustryFigures
{
    /// <summary>The industry's average time to remediate a leaked secret, in days.</summary>
    public const int AverageRemediationDays = 27;
}
