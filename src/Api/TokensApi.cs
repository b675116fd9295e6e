using Microsoft.AspNetCore.Authorization;

namespace GovernanceDashboard.Api;

/// <summary>GET /api/tokens — the paged inventory (masks only). Owners without an inventory role see their own tokens only.</summary>
public static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tokens", async (HttpContext http, IAuthorizationService authz, TokenInventory inventory, int? page, int? pageSize, CancellationToken ct) =>
        {
            var (filter, error) = await QueryFilters.TokenFilterAsync(http, authz);
            if (filter is null) return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);
            var result = await inventory.ListAsync(filter, page ?? 1, pageSize ?? 50, ct: ct);
            return Results.Json(new
            {
                items = result.Items.Select(t => new
                {
                    id = t.Id, mask = t.Mask, platform = t.Platform, kind = t.Kind, status = t.Status, owner = t.Owner,
                    suggestedOwner = t.SuggestedOwner, writeCapability = t.WriteCapability, account = t.Account,
                    organizations = t.Organizations, firstSeenAt = t.FirstSeenAt, lastSeenAt = t.LastSeenAt, identified = t.Identified,
                    blastRadius = Math.Round(t.BlastRadius, 3),
                }),
                total = result.Total, page = result.Page, pageSize = result.PageSize,
            }, JsonFormat.Options);
        }).WithName("ListTokens");
        return app;
    }
}
