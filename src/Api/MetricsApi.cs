namespace GovernanceDashboard.Api;

/// <summary>GET /api/metrics?asOf=&amp;from=&amp;team= — the docs/metrics.md object (from: start of the time-to-remediate window; team: the per-team view).</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", async (string? asOf, string? from, string? team, MetricsService metrics, CancellationToken ct) =>
        {
            if (!Instants.TryParse(asOf, out var at)) return ApiArguments.BadInstant("asOf");
            if (!Instants.TryParse(from, out var start)) return ApiArguments.BadInstant("from");
            return Results.Json(await metrics.ComputeAsync(at, start, string.IsNullOrWhiteSpace(team) ? null : team, ct), JsonFormat.Options);
        }).RequireAuthorization(Auth.Policies.ReadReports).WithName("GetMetrics");
        return app;
    }
}
