namespace GovernanceDashboard.Domain;

/// <summary>The headline figures as of the end of one day (UTC), for the whole organisation (Team "") or one team,
/// so trends are real and cheap to draw.</summary>
public class MetricSnapshot
{
    public int Id { get; set; }

    /// <summary>The instant the figures are computed as of: the end of the day, 24:00 UTC.</summary>
    public DateTimeOffset AsOf { get; set; }

    /// <summary>"" for the whole organisation, otherwise the owners' team.</summary>
    public string Team { get; set; } = "";

    public int ActiveTokens { get; set; }
    public int Owned { get; set; }
    public int Orphaned { get; set; }
    public int WriteCapable { get; set; }
    public int WriteUnknown { get; set; }
    public int Justified { get; set; }
    public double? OwnerCoverage { get; set; }
    public double? WriteRatio { get; set; }
    public double? JustifiedRatio { get; set; }
    public int OpenExposures { get; set; }
    public int Breached { get; set; }
    public int Remediated { get; set; }
    public double? MedianTtrHours { get; set; }
    public double? P90TtrHours { get; set; }
    public double? WithinSlaRatio { get; set; }
}
