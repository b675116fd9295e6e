namespace GovernanceDashboard.Api;

public sealed record SuggestionBody(bool? Accept);

public sealed record TransferBody(string? ToEmail, string? Message);

public sealed record TransferAnswerBody(bool? Accept);

/// <summary>Body of POST /api/my/tokens/{id}/revocation: how the token went away and when (ISO-8601).</summary>
public sealed record RevocationBody(string? Kind, string? At);

/// <summary>Owner self-service under /api/my: only the caller's own tokens, transfers, tasks and messages are reachable, whatever
/// id is put in the address (another person's id answers 404, as an id that does not exist).</summary>
public static class OwnershipApi
{
    public static IEndpointRouteBuilder MapOwnershipApi(this IEndpointRouteBuilder app)
    {
        var my = app.MapGroup("/api/my");

        my.MapGet("/tokens", async (HttpContext http, OwnershipService service, CancellationToken ct) =>
            WorkflowResults.Json(new { items = await service.MyTokensAsync(Actor.From(http.User), ct) })).WithName("MyTokens");

        my.MapGet("/tokens/{id:int}/exposures", async (HttpContext http, int id, OwnershipService service, CancellationToken ct) =>
            await service.ExposuresAsync(Actor.From(http.User), id, ct) is { } items
                ? WorkflowResults.Json(new { items })
                : WorkflowResults.Problem(Outcome.NotFound, "No such token among yours.")).WithName("MyTokenExposures");

        my.MapPost("/tokens/{id:int}/suggestion", async (HttpContext http, int id, SuggestionBody body, OwnershipService service, CancellationToken ct) =>
        {
            if (body.Accept is not { } accept) return WorkflowResults.BadRequest("accept (true or false) is required.");
            var actor = Actor.From(http.User);
            var result = accept ? await service.AcceptSuggestionAsync(actor, id, ct) : await service.DeclineSuggestionAsync(actor, id, ct);
            return WorkflowResults.ToHttp(result, tokenId => WorkflowResults.Json(new { tokenId, accepted = accept }));
        }).WithName("AnswerOwnerSuggestion");

        my.MapPost("/tokens/{id:int}/transfer", async (HttpContext http, int id, TransferBody body, OwnershipService service, CancellationToken ct) =>
            WorkflowResults.ToHttp(await service.OfferTransferAsync(Actor.From(http.User), id, body.ToEmail, body.Message, ct),
                transferId => WorkflowResults.Created(http, $"/api/my/transfers/{transferId}", new { id = transferId, status = "Pending" })))
            .WithName("OfferTokenTransfer");

        my.MapPost("/tokens/{id:int}/revocation", async (HttpContext http, int id, RevocationBody body, OwnershipService service, TimeProvider clock,
            CancellationToken ct) =>
        {
            if (!EnumNames.TryParse<RevocationKind>(body.Kind, out var kind)) return WorkflowResults.BadRequest("kind must be Revoked or Rotated.");
            if (!Instants.TryParse(body.At, out var at)) return ApiArguments.BadInstant("at");
            var result = await service.RecordRevocationAsync(Actor.From(http.User), id, kind ?? RevocationKind.Revoked, at ?? clock.GetUtcNow(), ct);
            return WorkflowResults.ToHttp(result, tokenId => WorkflowResults.Json(new { tokenId, status = "Revoked" }));
        }).WithName("RecordTokenRevocation");

        my.MapGet("/transfers", async (HttpContext http, OwnershipService service, CancellationToken ct) =>
        {
            var (incoming, outgoing) = await service.MyTransfersAsync(Actor.From(http.User), ct);
            return WorkflowResults.Json(new { incoming, outgoing });
        }).WithName("MyTransfers");

        my.MapPost("/transfers/{id:int}/answer", async (HttpContext http, int id, TransferAnswerBody body, OwnershipService service, CancellationToken ct) =>
        {
            if (body.Accept is not { } accept) return WorkflowResults.BadRequest("accept (true or false) is required.");
            return WorkflowResults.ToHttp(await service.AnswerTransferAsync(Actor.From(http.User), id, accept, ct),
                transferId => WorkflowResults.Json(new { id = transferId, status = accept ? "Accepted" : "Declined" }));
        }).WithName("AnswerTokenTransfer");

        my.MapPost("/transfers/{id:int}/cancel", async (HttpContext http, int id, OwnershipService service, CancellationToken ct) =>
            WorkflowResults.ToHttp(await service.CancelTransferAsync(Actor.From(http.User), id, ct),
                transferId => WorkflowResults.Json(new { id = transferId, status = "Cancelled" }))).WithName("CancelTokenTransfer");

        my.MapGet("/attestations", async (HttpContext http, AttestationService service, CancellationToken ct) =>
            WorkflowResults.Json(new { items = await service.MyTasksAsync(Actor.From(http.User), ct: ct) })).WithName("MyAttestationTasks");

        my.MapGet("/notifications", async (HttpContext http, bool? unread, Notifier notifier, CancellationToken ct) =>
        {
            var actor = Actor.From(http.User);
            return WorkflowResults.Json(new
            {
                unread = await notifier.UnreadCountAsync(actor.PersonId, ct),
                items = await notifier.ForPersonAsync(actor.PersonId, unreadOnly: unread == true, ct: ct),
            });
        }).WithName("MyNotifications");

        my.MapPost("/notifications/{id:long}/read", async (HttpContext http, long id, Notifier notifier, CancellationToken ct) =>
            await notifier.MarkReadAsync(Actor.From(http.User).PersonId, id, ct)
                ? Results.NoContent()
                : WorkflowResults.Problem(Outcome.NotFound, "No such unread message of yours.")).WithName("ReadNotification");

        my.MapPost("/notifications/read-all", async (HttpContext http, Notifier notifier, CancellationToken ct) =>
            WorkflowResults.Json(new { read = await notifier.MarkAllReadAsync(Actor.From(http.User).PersonId, ct) })).WithName("ReadAllNotifications");
        return app;
    }
}
