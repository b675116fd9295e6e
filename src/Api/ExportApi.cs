using GovernanceDashboard.Auth;
using GovernanceDashboard.Data;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Reporting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using GovernanceDashboard.Values;

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
            return CsvFile("tokens", Csv.Write(
                ["id", "mask", "platform", "kind", "status", "write", "owner", "owner_active", "suggested_owner", "account", "organizations", "first_seen", "last_seen", "secret_available"],
                rows.Select(t => new object?[] { t.Id, t.Mask, t.Platform, t.Kind, t.Status, t.WriteCapability, t.Owner, t.Owner is null ? null : t.OwnerActive,
                    t.SuggestedOwner, t.Account, t.Organizations, t.FirstSeenAt, t.LastSeenAt, t.Identified })));
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
            return CsvFile("exposures", Csv.Write(
                ["id", "token_id", "mask", "platform", "kind", "severity", "state", "detected_at", "closed_at", "owner", "team", "age_hours", "sla_hours", "sla_hours_left", "time_to_remediate_hours", "dismissal_reason"],
                rows.Select(e => new object?[] { e.Id, e.TokenId, e.Mask, e.Platform, e.Kind, e.Severity, e.State, e.DetectedAt, e.ClosedAt, e.Owner, e.Team,
                    Math.Round(e.AgeHours, 2), e.SlaHours, e.State == Domain.ExposureState.Open ? Math.Round(e.HoursLeft, 2) : null,
                    e.TtrHours is { } h ? Math.Round(h, 2) : null, e.DismissalReason })));
        });

        export.MapGet("/teams.csv", async (string? asOf, string? from, MetricsService metrics, CancellationToken ct) =>
        {
            if (!Instants.TryParse(asOf, out var at)) return ApiArguments.BadInstant("asOf");
            if (!Instants.TryParse(from, out var start)) return ApiArguments.BadInstant("from");
            var byTeam = await metrics.ComputeByTeamAsync(at, start, ct);
            return CsvFile("teams", Csv.Write(
                ["team", "active_tokens", "owner_coverage", "orphaned", "write_ratio", "justified_ratio", "open_exposures", "breached", "median_ttr_hours", "p90_ttr_hours", "within_sla_ratio"],
                byTeam.Teams.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new object?[]
                {
                    t.Key, t.Value.Tokens.Active, t.Value.OwnerCoverage.Ratio, t.Value.OwnerCoverage.Orphaned, t.Value.WriteScope.Ratio,
                    t.Value.WriteScope.JustifiedRatio, t.Value.Exposures.Open, t.Value.Exposures.Breached, t.Value.TimeToRemediate.MedianHours,
                    t.Value.TimeToRemediate.P90Hours, t.Value.TimeToRemediate.WithinSlaRatio,
                })));
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
