namespace GovernanceDashboard.Api;

/// <summary>Body of POST /api/write-scope-requests (docs/interfaces.md: tokenId, justification, days; kind and targets are extra).</summary>
public sealed record WriteScopeRequestBody(int? TokenId, string? Justification, int? Days, string? Kind, string? Targets);

/// <summary>Body of POST /api/write-scope-requests/{id}/decision (docs/interfaces.md: approve, comment; version is extra).</summary>
public sealed record WriteScopeDecisionBody(bool? Approve, string? Comment, Guid? Version);

/// <summary>Write-scope requests: ask (the token's owner), decide (an approver who is neither the requester nor the owner),
/// withdraw, and read one's own, those to decide, and the history.</summary>
public static class WriteScopeApi
{
    public static IEndpointRouteBuilder MapWriteScopeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/write-scope-requests");

        group.MapPost("", async (HttpContext http, WriteScopeRequestBody body, WriteScopeService service, CancellationToken ct) =>
        {
            if (body.TokenId is not { } tokenId) return WorkflowResults.BadRequest("tokenId is required.");
            if (!EnumNames.TryParse<RequestKind>(body.Kind, out var kind)) return WorkflowResults.BadRequest("kind must be Request or Declare.");
            var result = await service.RequestAsync(Actor.From(http.User), new NewWriteScopeRequest(tokenId, body.Justification, body.Days, kind, body.Targets), ct);
            return WorkflowResults.ToHttp(result, view => WorkflowResults.Created(http, $"/api/write-scope-requests/{view.Id}", view));
        }).WithName("RequestWriteScope");

        group.MapPost("/{id:int}/decision", async (HttpContext http, int id, WriteScopeDecisionBody body, WriteScopeService service, CancellationToken ct) =>
        {
            if (body.Approve is not { } approve) return WorkflowResults.BadRequest("approve (true or false) is required.");
            var result = await service.DecideAsync(Actor.From(http.User), id, approve, body.Comment, body.Version, ct);
            return WorkflowResults.ToHttp(result, view => WorkflowResults.Json(view));
        }).WithName("DecideWriteScopeRequest");

        group.MapPost("/{id:int}/cancel", async (HttpContext http, int id, WriteScopeService service, CancellationToken ct) =>
            WorkflowResults.ToHttp(await service.CancelAsync(Actor.From(http.User), id, ct), view => WorkflowResults.Json(view)))
            .WithName("CancelWriteScopeRequest");

        // ?view=mine (default), pending (to decide), history (decided: all for approvers and report readers, one's own otherwise).
        group.MapGet("", async (HttpContext http, string? view, WriteScopeService service, CancellationToken ct) =>
        {
            var actor = Actor.From(http.User);
            IReadOnlyList<RequestView>? items = (view ?? "mine").ToLowerInvariant() switch
            {
                "mine" => await service.MineAsync(actor, ct: ct),
                "pending" => await service.ToApproveAsync(actor, ct: ct),
                "history" => await service.HistoryAsync(actor, ct: ct),
                _ => null,
            };
            return items is null ? WorkflowResults.BadRequest("view must be mine, pending or history.") : WorkflowResults.Json(new { items });
        }).WithName("ListWriteScopeRequests");

        group.MapGet("/mine", async (HttpContext http, WriteScopeService service, CancellationToken ct) =>
            WorkflowResults.Json(new { items = await service.MineAsync(Actor.From(http.User), ct: ct) }));
        group.MapGet("/pending", async (HttpContext http, WriteScopeService service, CancellationToken ct) =>
            WorkflowResults.Json(new { items = await service.ToApproveAsync(Actor.From(http.User), ct: ct) }));
        group.MapGet("/history", async (HttpContext http, WriteScopeService service, CancellationToken ct) =>
            WorkflowResults.Json(new { items = await service.HistoryAsync(Actor.From(http.User), ct: ct) }));

        group.MapGet("/{id:int}", async (HttpContext http, int id, WriteScopeService service, CancellationToken ct) =>
            await service.GetAsync(Actor.From(http.User), id, ct) is { } view
                ? WorkflowResults.Json(view)
                : WorkflowResults.Problem(Outcome.NotFound, "No such write-scope request."))
            .WithName("GetWriteScopeRequest");
        return app;
    }
}
