namespace GovernanceDashboard.Api;

/// <summary>The audit trail for Admins and Auditors: filtered events as JSON, or all matching events as CSV.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").RequireAuthorization(Policies.ReadAudit);

        group.MapGet("/events", async (string? person, int? token, string? kind, string? from, string? to, int? page, int? pageSize,
            AuditSearch search, CancellationToken ct) =>
        {
            if (!TryFilter(person, token, kind, from, to, out var filter, out var error)) return error!;
            var result = await search.SearchAsync(filter!, page ?? 1, pageSize ?? 100, ct);
            return WorkflowResults.Json(new { items = result.Items, total = result.Total, page = result.Page, pageSize = result.PageSize });
        }).WithName("AuditEvents");

        group.MapGet("/events.csv", async (string? person, int? token, string? kind, string? from, string? to, AuditSearch search, CancellationToken ct) =>
        {
            if (!TryFilter(person, token, kind, from, to, out var filter, out var error)) return error!;
            return Results.File(Csv.Utf8(await search.CsvAsync(filter!, ct)), "text/csv; charset=utf-8", "audit-events.csv");
        }).WithName("AuditEventsCsv");
        return app;
    }

    private static bool TryFilter(string? person, int? token, string? kind, string? from, string? to, out AuditFilter? filter, out IResult? error)
    {
        filter = null;
        error = null;
        if (!Instants.TryParse(from, out var f)) error = ApiArguments.BadInstant("from");
        else if (!Instants.TryParse(to, out var t)) error = ApiArguments.BadInstant("to");
        else filter = new AuditFilter { Person = person, TokenId = token, Kind = kind, From = f, To = t };
        return error is null;
    }
}
