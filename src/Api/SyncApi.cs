namespace GovernanceDashboard.Api;

/// <summary>POST /api/sync/alerts?org= and /api/sync/github?org=: GitHub's secret scanning alerts, or its organisations' tokens, now
/// (Admin; session or API key); a synced token's organisation access revoked. GitHub's refusals answer alike on every route.</summary>
public static class SyncApi
{
    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sync/alerts", async (string? org, AlertPuller puller, CancellationToken ct) =>
            await GitHubCallAsync(async () => WorkflowResults.Json(new { organizations = await puller.PullAsync(org, ct) })))
            .RequireAuthorization(Policies.Administer).WithName("SyncAlerts");

        // The organisation sync: fine-grained PATs, PAT requests, credential authorisations, then decisions and revocations.
        app.MapPost("/api/sync/github", async (string? org, GitHubOrgSync sync, CancellationToken ct) =>
            await GitHubCallAsync(async () => WorkflowResults.Json(new { organizations = await sync.SyncAsync(org, ct) })))
            .RequireAuthorization(Policies.Administer).WithName("SyncGitHub");

        // Revokes a synced PAT's access to its organisation through GitHub (the token page's action, for scripts too).
        app.MapPost("/api/tokens/{id:int}/github-access/revoke", async (int id, HttpContext http, OrgAccessRevoker revoker, CancellationToken ct) =>
            await GitHubCallAsync(async () => WorkflowResults.ToHttp(await revoker.RequestAsync(Workflows.Actor.From(http.User), id, ct), o => WorkflowResults.Json(o))))
            .RequireAuthorization(Policies.ManageInventory).WithName("RevokeGitHubOrgAccess");
        return app;
    }

    private static async Task<IResult> GitHubCallAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException ex)
        {
            return WorkflowResults.BadRequest(ex.Message);
        }
        catch (GitHubConfigurationException ex)
        {
            return Results.Problem(ex.Message, title: "GitHub refused the configuration, or it is incomplete.", statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        catch (GitHubRateLimitedException ex)
        {
            return RateLimited(ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException or System.Text.Json.JsonException)
        {
            return Results.Problem("GitHub could not be reached or gave an unreadable answer: " + ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static IResult RateLimited(GitHubRateLimitedException ex)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((ex.RetryAt - DateTimeOffset.UtcNow).TotalSeconds));
        return Results.Problem(ex.Message, statusCode: StatusCodes.Status429TooManyRequests,
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }
}
