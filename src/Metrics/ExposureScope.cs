namespace GovernanceDashboard.Metrics;

/// <summary>Which exposures a chart counts: the Exposures page's filters, so its charts and its lists show the same
/// exposures (severity, platform, the owner's team, no owner, one owner's tokens, past SLA now).</summary>
public sealed record ExposureScope(Severity? Severity = null, TokenPlatform? Platform = null, string? Team = null, bool NoOwner = false,
    int? OwnerId = null, IReadOnlyList<long>? BreachedBefore = null)
{
    /// <summary>The scope of an exposure list's filter as of <paramref name="now"/> (past SLA needs the settings' targets).</summary>
    public static ExposureScope Of(ExposureFilter filter, GovernanceSettings settings, DateTimeOffset now) => new(
        filter.Severity, filter.Platform, string.IsNullOrWhiteSpace(filter.Team) ? null : filter.Team.Trim(),
        string.Equals(filter.Owner?.Trim(), "none", StringComparison.OrdinalIgnoreCase), filter.VisibleToPersonId,
        filter.Breached ? Enum.GetValues<Severity>().Select(s => FactTables.Millis(now) - (long)Math.Round(settings.SlaHoursFor(s) * 3_600_000)).ToList() : null);

    /// <summary>A test on exposure ids over one snapshot of the facts.</summary>
    internal Func<int, bool> Matcher(FactTables f)
    {
        var e = f.Exposures;
        var t = f.Tokens;
        var team = Team is null ? -1 : f.Teams.IndexOf(Team);
        return id =>
        {
            var token = e.Token[id];
            if (Severity is { } s && e.Severity[id] != (byte)s) return false;
            if (token > t.MaxId || !t.Present[token]) return Platform is null && Team is null && OwnerId is null && !NoOwner && BreachedBefore is null;
            if (Platform is { } p && t.Platform[token] != (byte)p) return false;
            if (Team is not null && (team < 0 || f.TeamOf(token) != team)) return false;
            if (NoOwner && t.Owner[token] != 0) return false;
            if (OwnerId is { } me && t.Owner[token] != me) return false;
            if (BreachedBefore is { } cut && !(e.State[id] == (byte)ExposureState.Open && e.Detected[id] < cut[e.Severity[id]])) return false;
            return true;
        };
    }
}
