using Microsoft.AspNetCore.Authorization;

namespace GovernanceDashboard.Api;

/// <summary>Reads list filters from a query string, the same way for the JSON API and the CSV exports, and applies owner isolation.</summary>
public static class QueryFilters
{
    /// <summary>Token filter from platform, kind, status, owner, write, team, org, q, unjustified, live; null with an error when a value is unknown.</summary>
    public static async Task<(TokenFilter? Filter, string? Error)> TokenFilterAsync(HttpContext http, IAuthorizationService authz)
    {
        var q = http.Request.Query;
        if (!EnumNames.TryParse<TokenPlatform>(q["platform"], out var platform) || !EnumNames.TryParse<TokenStatus>(q["status"], out var status)
            || !EnumNames.TryParse<WriteCapability>(q["write"], out var write) || !EnumNames.TryParse<TokenKind>(q["kind"], out var kind))
            return (null, "platform, kind, status or write has an unknown value.");
        return (new TokenFilter
        {
            Platform = platform, Kind = kind, Status = status, Write = write, Owner = Text(q["owner"]), Team = Text(q["team"]),
            Organization = Text(q["org"]), Text = Text(q["q"]), UnjustifiedWrite = q["unjustified"] == "true",
            Live = q["live"] == "true",
            VisibleToPersonId = await SeesEverythingAsync(http, authz) ? null : http.User.PersonIdOf() ?? -1,
        }, null);
    }

    public static async Task<(ExposureFilter? Filter, string? Error)> ExposureFilterAsync(HttpContext http, IAuthorizationService authz)
    {
        var q = http.Request.Query;
        if (!EnumNames.TryParse<ExposureState>(q["state"], out var state) || !EnumNames.TryParse<Severity>(q["severity"], out var severity)
            || !EnumNames.TryParse<TokenPlatform>(q["platform"], out var platform))
            return (null, "state, severity or platform has an unknown value.");
        if (!Instants.TryParse(q["from"], out var from) || !Instants.TryParse(q["to"], out var to))
            return (null, "from and to must be ISO-8601 instants.");
        return (new ExposureFilter
        {
            State = state, ClosedOnly = q["closed"] == "true", Severity = severity, Platform = platform, Team = Text(q["team"]), From = from, To = to,
            Breached = q["sla"] == "breached", Owner = Text(q["owner"]),
            VisibleToPersonId = await SeesEverythingAsync(http, authz) ? null : http.User.PersonIdOf() ?? -1,
        }, null);
    }

    /// <summary>Roles that read the whole inventory; everyone else is an owner who sees their own.</summary>
    public static async Task<bool> SeesEverythingAsync(HttpContext http, IAuthorizationService authz) =>
        (await authz.AuthorizeAsync(http.User, Policies.ReadReports)).Succeeded;

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
