namespace GovernanceDashboard.Api;

/// <summary>All HTTP API groups (docs/interfaces.md).</summary>
public static class GovernanceApi
{
    public static IEndpointRouteBuilder MapGovernanceApi(this IEndpointRouteBuilder app)
    {
        app.MapMetricsApi();
        app.MapTokensApi();
        app.MapImportsApi();
        app.MapExportApi();
        app.MapWriteScopeApi();
        app.MapOwnershipApi();
        app.MapExposuresApi();
        app.MapAttestationsApi();
        app.MapAuditApi();
        app.MapRemediationApi();
        app.MapBlastRadiusApi();
        app.MapSyncApi();
        app.MapWebhooksApi();
        return app;
    }
}
