using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GovernanceDashboard.Api;

/// <summary>Liveness and database reachability for load balancers and CI.</summary>
public static class HealthApi
{
    /// <summary>The store is reachable when a query over a real table answers (a store without its schema is not).</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<GovernanceDbContext>("database",
            customTestQuery: async (db, ct) => await db.People.AnyAsync(ct) is var _);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = (ctx, report) => ctx.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), Description = Describe(e.Key, e.Value) }),
            }),
        }).AllowAnonymous();
        return app;
    }

    // The kind of failure only: an exception's message (which the check's own description repeats) could name the store's
    // path or server.
    private static string Describe(string name, HealthReportEntry entry) =>
        entry.Status == HealthStatus.Healthy ? $"{name} reachable"
            : $"{name} unreachable{(entry.Exception is { } ex ? ": " + ex.GetType().Name : "")}";
}
