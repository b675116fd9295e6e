namespace GovernanceDashboard.BlastRadius;

/// <summary><c>BlastRadius:*</c>: the periodic enrichment (off unless enabled: it uses leaked tokens' values against their platforms).</summary>
public sealed class BlastRadiusOptions
{
    /// <summary>Whether the dashboard enriches on a schedule; "Measure reach" on a token's page works either way (a person's audited choice).</summary>
    public bool Enabled { get; set; }

    /// <summary>How often a pass runs.</summary>
    public double IntervalMinutes { get; set; } = 60;

    /// <summary>The most tokens one pass reads.</summary>
    public int MaxPerPass { get; set; } = 20;

    /// <summary>A token enriched this long ago is read again.</summary>
    public double RefreshHours { get; set; } = 24;
}
