namespace GovernanceDashboard.Reporting;

/// <summary>One row of the side-by-side signals: the figure for every token and for the leaked part.</summary>
public sealed record SignalRow(string Signal, string Figure, string All, string Leaked, string TestId);

/// <summary>The three signals for the whole population and for the leaked part, as the Overview card, the report and its
/// mail show them (docs/metrics.md "Leaked tokens and the whole population"), so all three say the same thing.</summary>
public static class SignalComparison
{
    public static IReadOnlyList<SignalRow> Rows(MetricsSnapshot m)
    {
        var leaked = m.Leaked ?? new PopulationFigures(m.Tokens.Total, m.Tokens.Active, m.OwnerCoverage, m.WriteScope);
        // Signal 3 is the same in both columns: only leaked tokens have exposures.
        var ttr = Format.Hours(m.TimeToRemediate.MedianHours);
        var breached = Count(m.Exposures.Breached);
        return
        [
            new("Every token has a named owner", "Owner coverage", Coverage(m.OwnerCoverage), Coverage(leaked.OwnerCoverage), "owner-coverage"),
            new("", "Orphaned (owner left)", Count(m.OwnerCoverage.Orphaned), Count(leaked.OwnerCoverage.Orphaned), "orphaned"),
            new("Write scopes are rare and justified", "Write-capable share", Write(m.WriteScope), Write(leaked.WriteScope), "write-ratio"),
            new("", "Write without a grant", Count(Unjustified(m.WriteScope)), Count(Unjustified(leaked.WriteScope)), "unjustified-write"),
            new("An exposure triggers revocation fast", "Median time to remediate", ttr, ttr, "median-ttr"),
            new("", "Open exposures past SLA", breached, breached, "breached"),
        ];
    }

    /// <summary>What the two columns cover; says so plainly when they are the same population.</summary>
    public static string Caption(MetricsSnapshot m)
    {
        var notLeaked = m.Tokens.Total - (m.Leaked?.Total ?? m.Tokens.Total);
        return notLeaked == 0
            ? "No synced tokens: every token in the inventory was found leaked, so the two columns are equal."
            : $"All tokens includes {notLeaked} never found leaked (synced from GitHub organisations). Time to remediate and exposures concern leaked tokens only, so they are the same in both columns.";
    }

    /// <summary>Active write-capable tokens no approved, unexpired grant covers.</summary>
    public static int Unjustified(WriteScopeFigures w) => w.WriteCapable - w.Justified;

    private static string Coverage(OwnerCoverage c) => $"{Format.Percent(c.Ratio)} ({Count(c.Owned)} of {Count(c.Active)})";

    private static string Write(WriteScopeFigures w) => $"{Format.Percent(w.Ratio)} ({Count(w.WriteCapable)} of {Count(w.Active)})";

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
