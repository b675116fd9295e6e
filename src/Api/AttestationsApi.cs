namespace GovernanceDashboard.Api;

public sealed record CampaignBody(string? Name, string? Scope, string? Deadline);

public sealed record AttestationAnswerBody(string? Answer, string? Comment);

/// <summary>Attestation campaigns: open one (Analyst, Admin), read their progress, answer one's own tasks.</summary>
public static class AttestationsApi
{
    public static IEndpointRouteBuilder MapAttestationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/attestations");

        group.MapGet("/campaigns", async (AttestationService service, CancellationToken ct) =>
            WorkflowResults.Json(new { items = await service.CampaignsAsync(ct) })).WithName("ListCampaigns");

        group.MapPost("/campaigns", async (HttpContext http, CampaignBody body, AttestationService service, CancellationToken ct) =>
        {
            if (!EnumNames.TryParse<CampaignScope>(body.Scope, out var scope)) return WorkflowResults.BadRequest("scope must be AllActive or WriteCapableOnly.");
            if (!Instants.TryParse(body.Deadline, out var deadline) || deadline is null) return ApiArguments.BadInstant("deadline");
            var result = await service.OpenCampaignAsync(Actor.From(http.User), body.Name, scope ?? CampaignScope.AllActive, deadline.Value, ct);
            return WorkflowResults.ToHttp(result, c => WorkflowResults.Created(http, $"/api/attestations/campaigns/{c.Id}", c));
        }).RequireAuthorization(Policies.ManageInventory).WithName("OpenCampaign");

        group.MapGet("/campaigns/{id:int}", async (int id, AttestationService service, CancellationToken ct) =>
            await service.GetCampaignAsync(id, ct) is { } campaign
                ? WorkflowResults.Json(campaign)
                : WorkflowResults.Problem(Outcome.NotFound, "No such campaign.")).WithName("GetCampaign");

        // Readers of reports see every task; anybody else sees only their own.
        group.MapGet("/campaigns/{id:int}/tasks", async (HttpContext http, int id, AttestationService service, CancellationToken ct) =>
        {
            var actor = Actor.From(http.User);
            var items = actor.ReadsReports ? await service.AllTasksAsync(actor, id, ct) : await service.MyTasksAsync(actor, id, ct);
            return WorkflowResults.Json(new { items });
        }).WithName("CampaignTasks");

        group.MapPost("/tasks/{id:int}/answer", async (HttpContext http, int id, AttestationAnswerBody body, AttestationService service, CancellationToken ct) =>
        {
            if (!EnumNames.TryParse<AttestationAnswer>(body.Answer, out var answer) || answer is null or AttestationAnswer.None)
                return WorkflowResults.BadRequest("answer must be Keep, ReduceScope or Revoke.");
            return WorkflowResults.ToHttp(await service.AnswerAsync(Actor.From(http.User), id, answer.Value, body.Comment, ct),
                taskId => WorkflowResults.Json(new { id = taskId, answer = answer.Value }));
        }).WithName("AnswerAttestationTask");
        return app;
    }
}
