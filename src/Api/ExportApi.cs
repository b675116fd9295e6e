using Microsoft.AspNetCore.Authorization;
using System.Runtime.CompilerServices;

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
            return CsvFile("tokens", ListCsv.TokenColumns, inventory.AllAsync(filter, ct: ct).Select(ListCsv.TokenCells));
        });

        export.MapGet("/exposures.csv", async (HttpContext http, IAuthorizationService authz, ExposureList exposures, CancellationToken ct) =>
        {
            var (filter, error) = await QueryFilters.ExposureFilterAsync(http, authz);
            if (filter is null) return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            return CsvFile("exposures", ListCsv.ExposureColumns, AllExposures(exposures, filter, ct).Select(ListCsv.ExposureCells));
        });

        export.MapGet("/teams.csv", async (string? asOf, string? from, MetricsService metrics, CancellationToken ct) =>
        {
            if (!Instants.TryParse(asOf, out var at)) return ApiArguments.BadInstant("asOf");
            if (!Instants.TryParse(from, out var start)) return ApiArguments.BadInstant("from");
            var byTeam = await metrics.ComputeByTeamAsync(at, start, ct);
            return CsvFile("teams", ListCsv.TeamColumns,
                byTeam.Teams.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => ListCsv.TeamCells((t.Key, t.Value))).ToAsyncEnumerable());
        }).RequireAuthorization(Policies.ReadReports);

        export.MapGet("/imports.csv", (IDbContextFactory<GovernanceDbContext> dbFactory, CancellationToken ct) =>
        {
            return CsvFile("imports",
                ["id", "imported_at", "imported_by", "format", "file", "sha256", "scanned_at", "status", "rejection_reason", "records", "tokens_new", "tokens_seen",
                 "occurrences_new", "duplicates", "rejected"],
                AllImports(dbFactory, ct).Select(i => new object?[] { i.Id, i.ImportedAt, i.ImportedBy, i.Format, i.FileName, i.Sha256, i.ScannedAt, i.Status,
                    i.RejectionReason, i.Records, i.TokensNew, i.TokensSeen, i.OccurrencesNew, i.Duplicates, i.RejectedCount }));
        }).RequireAuthorization(Policies.ReadReports);

        return app;
    }

    /// <summary>The rows streamed to the response as they are read (the filters were checked before the first byte).</summary>
    private static IResult CsvFile(string name, string[] header, IAsyncEnumerable<object?[]> rows) =>
        Results.Stream(body => Csv.WriteAsync(body, header, rows), Csv.ContentType, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv");

    /// <summary>Every matching exposure, a batch at a time.</summary>
    private static async IAsyncEnumerable<ExposureRow> AllExposures(ExposureList exposures, ExposureFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            var batch = await exposures.ListAsync(filter, page, Batch, ct);
            foreach (var row in batch.Items) yield return row;
            if (batch.Items.Count < Batch) yield break;
        }
    }

    private static async IAsyncEnumerable<Domain.ScanImport> AllImports(IDbContextFactory<GovernanceDbContext> dbFactory, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var import in db.Imports.AsNoTracking().OrderByDescending(i => i.Id).AsAsyncEnumerable().WithCancellation(ct)) yield return import;
    }
}
