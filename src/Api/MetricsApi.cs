using GovernanceDashboard.Metrics;

namespace GovernanceDashboard.Api;

/// <summary>GET /api/metrics?asOf= — the METRICS.md object.</summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", async (string? asOf, MetricsService metrics, CancellationToken ct) =>
        {
            if (!ApiArguments.TryInstant(asOf, out var at)) return ApiArguments.BadInstant("asOf");
            return Results.Json(await metrics.ComputeAsync(at, ct: ct), ApiArguments.Json);
        }).RequireAuthorization(Auth.Policies.ReadReports).WithName("GetMetrics");
        return app;
    }
}
