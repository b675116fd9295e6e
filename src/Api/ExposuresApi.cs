using Microsoft.AspNetCore.Authorization;

namespace GovernanceDashboard.Api;

/// <summary>Body of POST /api/exposures/{id}/dismiss; the bulk form adds ids.</summary>
public sealed record DismissBody(string? Reason, string? Until, string? Note, int[]? Ids = null);

/// <summary>Body of PUT /api/tokens/{id}/owner.</summary>
public sealed record OwnerBody(string? Email);

/// <summary>Body of POST /api/exposures/{id}/notes.</summary>
public sealed record NoteBody(string? Text);

/// <summary>Triage over HTTP, for Analysts and Admins (session or API key): the exposure list, dismissal (single and bulk), reopening,
/// notes, and assigning a token's owner. Refusals are problem+json 400/404/409 with the service's sentence.</summary>
public static class ExposuresApi
{
    public static IEndpointRouteBuilder MapExposuresApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").RequireAuthorization(Policies.ManageInventory);

        group.MapGet("/exposures", async (HttpContext http, IAuthorizationService authz, ExposureList list, RevocationService revocations,
            int? page, int? pageSize, CancellationToken ct) =>
        {
            var (filter, error) = await QueryFilters.ExposureFilterAsync(http, authz);
            if (filter is null) return WorkflowResults.BadRequest(error!);
            var result = await list.ListAsync(filter, page ?? 1, pageSize ?? 50, ct);
            var remediation = await revocations.StatusOfAsync(result.Items.Select(e => e.Id).ToList(), ct);
            return WorkflowResults.Json(new
            {
                items = result.Items.Select(e => new
                {
                    id = e.Id, tokenId = e.TokenId, tokenMask = e.Mask, platform = e.Platform, kind = e.Kind, severity = e.Severity, state = e.State,
                    detectedAt = e.DetectedAt, closedAt = e.ClosedAt, owner = e.Owner, slaDeadline = e.SlaDeadline, breached = e.Breached,
                    dismissalReason = e.DismissalReason, dismissedUntil = e.DismissedUntil,
                    // The revocation through the platform: none, queued, requested (accepted by the platform) or failed.
                    remediation = remediation.TryGetValue(e.Id, out var r) ? r.State : "none",
                    lastError = r?.LastError, nextAttemptAt = r?.NextAttemptAt, revocationSentAt = r?.SentAt, alertReceivedAt = r?.AlertReceivedAt,
                }),
                total = result.Total, page = result.Page, pageSize = result.PageSize,
            });
        }).WithName("ListExposures");

        group.MapPost("/exposures/{id:int}/dismiss", (HttpContext http, int id, DismissBody body, TriageService triage, CancellationToken ct) =>
            DismissAsync(http, [id], body, triage, ct)).WithName("DismissExposure");

        group.MapPost("/exposures/dismiss", (HttpContext http, DismissBody body, TriageService triage, CancellationToken ct) =>
            body.Ids is { Length: > 0 } ids
                ? DismissAsync(http, ids, body, triage, ct)
                : Task.FromResult(WorkflowResults.BadRequest("ids (the exposures to dismiss) is required."))).WithName("DismissExposures");

        group.MapPost("/exposures/{id:int}/reopen", async (HttpContext http, int id, TriageService triage, CancellationToken ct) =>
            WorkflowResults.ToHttp(await triage.ReopenAsync(Actor.From(http.User), id, ct),
                exposureId => WorkflowResults.Json(new { id = exposureId, state = "Open", escrow = "erased" }))).WithName("ReopenExposure");

        group.MapPost("/exposures/{id:int}/notes", async (HttpContext http, int id, NoteBody body, TriageService triage, CancellationToken ct) =>
            WorkflowResults.ToHttp(await triage.AddNoteAsync(Actor.From(http.User), id, body.Text, ct),
                eventId => WorkflowResults.Json(new { exposureId = id, auditEventId = eventId }, StatusCodes.Status201Created))).WithName("AddExposureNote");

        group.MapPut("/tokens/{id:int}/owner", async (HttpContext http, int id, OwnerBody body, TriageService triage, CancellationToken ct) =>
            WorkflowResults.ToHttp(await triage.AssignOwnerAsync(Actor.From(http.User), [id], body.Email, ct),
                changed => WorkflowResults.Json(new { tokenId = id, owner = Domain.Person.NormalizeEmail(body.Email!), changed = changed > 0 }))).WithName("AssignTokenOwner");
        return app;
    }

    private static async Task<IResult> DismissAsync(HttpContext http, int[] ids, DismissBody body, TriageService triage, CancellationToken ct)
    {
        if (!Instants.TryParse(body.Until, out var until)) return ApiArguments.BadInstant("until");
        var result = await triage.DismissAsync(Actor.From(http.User), ids, body.Reason, until, body.Note, ct);
        return WorkflowResults.ToHttp(result, count => WorkflowResults.Json(new { dismissed = count, ids = ids.Distinct(), reason = body.Reason?.Trim().ToLowerInvariant(), until }));
    }
}
