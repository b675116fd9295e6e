namespace GovernanceDashboard.Api;

/// <summary>Body of POST /api/exposures/revoke.</summary>
public sealed record RevokeManyBody(IReadOnlyList<int>? Ids);

/// <summary>Revocation through the platforms' APIs and "check now" (Analyst or Admin; session or API key).</summary>
public static class RemediationApi
{
    /// <summary>The most exposure ids one bulk call takes.</summary>
    public const int MaxBulkIds = 10_000;

    public static IEndpointRouteBuilder MapRemediationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.ManageInventory);

        api.MapPost("/exposures/{id:int}/revoke", async (HttpContext http, int id, RevocationService revocations, CancellationToken ct) =>
        {
            var result = (await revocations.RequestAsync(Actor.From(http.User), [id], ct))[0];
            return result.Outcome switch
            {
                RevokeOutcome.Queued or RevokeOutcome.AlreadyRequested => WorkflowResults.Json(View(result), StatusCodes.Status202Accepted),
                RevokeOutcome.NotRevocable => Results.Problem(result.Message, title: "This exposure cannot be revoked through the platform's API.",
                    statusCode: StatusCodes.Status422UnprocessableEntity, extensions: new Dictionary<string, object?> { ["manualUrl"] = result.ManualUrl }),
                _ => WorkflowResults.Problem(ToOutcome(result.Outcome), result.Message),
            };
        }).WithName("RevokeExposure");

        api.MapPost("/exposures/revoke", async (HttpContext http, RevokeManyBody body, RevocationService revocations, CancellationToken ct) =>
        {
            if (body.Ids is not { Count: > 0 } ids) return WorkflowResults.BadRequest("ids (a non-empty list of exposure ids) is required.");
            if (ids.Count > MaxBulkIds) return WorkflowResults.BadRequest($"At most {MaxBulkIds} ids a call.");
            var results = await revocations.RequestAsync(Actor.From(http.User), ids, ct);
            // Each id has its own outcome (and the status its single form would answer); the call itself succeeded.
            return WorkflowResults.Json(new
            {
                queued = results.Count(r => r.Outcome == RevokeOutcome.Queued),
                items = results.Select(View),
            });
        }).WithName("RevokeExposures");

        api.MapPost("/tokens/{id:int}/validate", async (HttpContext http, int id, TokenValidationService validation, CancellationToken ct) =>
        {
            var result = await validation.CheckNowAsync(Actor.From(http.User), id, ct);
            return result.Outcome switch
            {
                CheckOutcome.Checked => WorkflowResults.Json(result),
                CheckOutcome.NotCheckable => Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
                CheckOutcome.RateLimited => Results.Problem(result.Message, statusCode: StatusCodes.Status429TooManyRequests),
                CheckOutcome.PlatformFailed => Results.Problem(result.Message, statusCode: StatusCodes.Status502BadGateway),
                CheckOutcome.Disabled => WorkflowResults.Problem(Outcome.Conflict, result.Message),
                CheckOutcome.Forbidden => WorkflowResults.Problem(Outcome.Forbidden, result.Message),
                _ => WorkflowResults.Problem(Outcome.NotFound, result.Message),
            };
        }).WithName("ValidateToken");
        return app;
    }

    private static object View(RevokeResult r) => new
    {
        id = r.ExposureId,
        outcome = r.Outcome.ToString(),
        status = StatusOf(r.Outcome),
        requestId = r.RequestId,
        message = r.Message,
        manualUrl = r.ManualUrl,
    };

    private static int StatusOf(RevokeOutcome outcome) => outcome switch
    {
        RevokeOutcome.Queued or RevokeOutcome.AlreadyRequested => StatusCodes.Status202Accepted,
        RevokeOutcome.Closed => StatusCodes.Status409Conflict,
        RevokeOutcome.NotRevocable => StatusCodes.Status422UnprocessableEntity,
        RevokeOutcome.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status404NotFound,
    };

    private static Outcome ToOutcome(RevokeOutcome outcome) => outcome switch
    {
        RevokeOutcome.Closed => Outcome.Conflict,
        RevokeOutcome.Forbidden => Outcome.Forbidden,
        _ => Outcome.NotFound,
    };
}
