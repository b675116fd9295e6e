using GovernanceDashboard.Auth;
using GovernanceDashboard.Data;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Reporting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Api;

/// <summary>CSV export of every list: /export/tokens.csv, exposures.csv, teams.csv, imports.csv — the same filters as the pages.</summary>
public static class ExportApi
{
    private const int Batch = 5000;

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var export = app.MapGroup("/export");

        export.MapGet("/tokens.csv", async (HttpContext http, IAuthorizationService authz, TokenInventory inventory, CancellationToken ct) =>
        {
            var (filter, error) = await QueryFilters.TokenFilterAsync(http, authz);
            if (filter is null) return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            var rows = await inventory.AllAsync(filter, ct: ct).ToListAsync(ct);
            return CsvFile("tokens", ListCsv.Tokens(rows));
        });

        export.MapGet("/exposures.csv", async (HttpContext http, IAuthorizationService authz, ExposureList exposures, CancellationToken ct) =>
        {
            var (filter, error) = await QueryFilters.ExposureFilterAsync(http, authz);
            if (filter is null) return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            var rows = new List<ExposureRow>();
            for (var page = 1; ; page++)
            {
                var batch = await exposures.ListAsync(filter, page, Batch, ct);
                rows.AddRange(batch.Items);
                if (batch.Items.Count < Batch) break;
            }
            return CsvFile("exposures", ListCsv.Exposures(rows));
        });

        export.MapGet("/teams.csv", async (string? asOf, string? from, MetricsService metrics, CancellationToken ct) =>
        {
            if (!ApiArguments.TryInstant(asOf, out var at)) return ApiArguments.BadInstant("asOf");
            if (!ApiArguments.TryInstant(from, out var start)) return ApiArguments.BadInstant("from");
            var byTeam = await metrics.ComputeByTeamAsync(at, start, ct);
            return CsvFile("teams", ListCsv.Teams(byTeam.Teams.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value))));
        }).RequireAuthorization(Policies.ReadReports);

        export.MapGet("/imports.csv", async (IDbContextFactory<GovernanceDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var imports = await db.Imports.AsNoTracking().OrderByDescending(i => i.Id).ToListAsync(ct);
            return CsvFile("imports", Csv.Write(
                ["id", "imported_at", "imported_by", "format", "file", "sha256", "scanned_at", "records", "tokens_new", "tokens_seen", "occurrences_new", "duplicates", "rejected"],
                imports.Select(i => new object?[] { i.Id, i.ImportedAt, i.ImportedBy, i.Format, i.FileName, i.Sha256, i.ScannedAt, i.Records, i.TokensNew,
                    i.TokensSeen, i.OccurrencesNew, i.Duplicates, i.RejectedCount })));
        }).RequireAuthorization(Policies.ReadReports);

        return app;
    }

    public static IResult CsvFile(string name, string csv) =>
        Results.File(Csv.Utf8(csv), "text/csv; charset=utf-8", $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv");
}
