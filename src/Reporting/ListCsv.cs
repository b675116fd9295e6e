namespace GovernanceDashboard.Reporting;

/// <summary>The columns of each exported list, one definition for the streamed /export endpoints and the mailed report's attachments.</summary>
public static class ListCsv
{
    public static readonly string[] TokenColumns =
        ["id", "mask", "platform", "kind", "status", "write", "owner", "owner_active", "suggested_owner", "account", "organizations", "first_seen", "last_seen", "secret_available", "blast_radius"];

    public static object?[] TokenCells(TokenRow t) =>
        [t.Id, t.Mask, t.Platform, t.Kind, t.Status, t.WriteCapability, t.Owner, t.Owner is null ? null : t.OwnerActive,
         t.SuggestedOwner, t.Account, t.Organizations, t.FirstSeenAt, t.LastSeenAt, t.Identified, Math.Round(t.BlastRadius, 2)];

    public static readonly string[] ExposureColumns =
        ["id", "token_id", "mask", "platform", "kind", "severity", "state", "detected_at", "closed_at", "owner", "team", "age_hours", "sla_hours", "sla_hours_left", "time_to_remediate_hours", "dismissal_reason"];

    public static object?[] ExposureCells(ExposureRow e) =>
        [e.Id, e.TokenId, e.Mask, e.Platform, e.Kind, e.Severity, e.State, e.DetectedAt, e.ClosedAt, e.Owner, e.Team,
         Math.Round(e.AgeHours, 2), e.SlaHours, e.State == Domain.ExposureState.Open ? Math.Round(e.HoursLeft, 2) : null,
         e.TtrHours is { } h ? Math.Round(h, 2) : null, e.DismissalReason];

    public static readonly string[] TeamColumns =
        ["team", "active_tokens", "owner_coverage", "orphaned", "write_ratio", "justified_ratio", "open_exposures", "breached", "median_ttr_hours", "p90_ttr_hours", "within_sla_ratio"];

    public static object?[] TeamCells((string Team, MetricsSnapshot Metrics) t) =>
        [t.Team, t.Metrics.Tokens.Active, t.Metrics.OwnerCoverage.Ratio, t.Metrics.OwnerCoverage.Orphaned, t.Metrics.WriteScope.Ratio,
         t.Metrics.WriteScope.JustifiedRatio, t.Metrics.Exposures.Open, t.Metrics.Exposures.Breached, t.Metrics.TimeToRemediate.MedianHours,
         t.Metrics.TimeToRemediate.P90Hours, t.Metrics.TimeToRemediate.WithinSlaRatio];

    public static string Tokens(IEnumerable<TokenRow> rows) => Csv.Write(TokenColumns, rows.Select(TokenCells));

    public static string Exposures(IEnumerable<ExposureRow> rows) => Csv.Write(ExposureColumns, rows.Select(ExposureCells));

    /// <summary>Teams in the order given (the report's: weakest first).</summary>
    public static string Teams(IEnumerable<(string Team, MetricsSnapshot Metrics)> teams) => Csv.Write(TeamColumns, teams.Select(TeamCells));
}
