namespace GovernanceDashboard.Api;

/// <summary>"Measure reach" (Analyst or Admin; session or API key): reads what a live write token can change, scores it, audits it.</summary>
public static class BlastRadiusApi
{
    public static IEndpointRouteBuilder MapBlastRadiusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.ManageInventory);
        api.MapPost("/tokens/{id:int}/reach", async (HttpContext http, int id, BlastRadiusService service, CancellationToken ct) =>
        {
            var result = await service.EnrichNowAsync(Actor.From(http.User), id, ct);
            if (result.Outcome == ReachOutcome.RateLimited && result.RetryAt is { } at)
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((at - DateTimeOffset.UtcNow).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return result.Outcome switch
            {
                ReachOutcome.Enriched => WorkflowResults.Json(result),
                // What was read before the platform stopped it is kept and shown: the answer says it is not all.
                ReachOutcome.Partial => WorkflowResults.Json(result, StatusCodes.Status206PartialContent),
                ReachOutcome.RateLimited => Results.Problem(result.Message, statusCode: StatusCodes.Status429TooManyRequests,
                    extensions: new Dictionary<string, object?> { ["artefacts"] = result.Artefacts, ["score"] = result.Score }),
                ReachOutcome.NotEnrichable or ReachOutcome.Invalid => Results.Problem(result.Message, statusCode: StatusCodes.Status422UnprocessableEntity),
                ReachOutcome.PlatformFailed => Results.Problem(result.Message, statusCode: StatusCodes.Status502BadGateway),
                ReachOutcome.Forbidden => WorkflowResults.Problem(Outcome.Forbidden, result.Message),
                _ => WorkflowResults.Problem(Outcome.NotFound, result.Message),
            };
        }).WithName("MeasureTokenReach");
        return app;
    }
}
