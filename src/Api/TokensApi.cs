using GovernanceDashboard.Auth;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using Microsoft.AspNetCore.Authorization;

namespace GovernanceDashboard.Api;

/// <summary>GET /api/tokens — the paged inventory (masks only). Owners without an inventory role see their own tokens only.</summary>
public static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/tokens", async (HttpContext http, IAuthorizationService authz, TokenInventory inventory,
            int? page, int? pageSize, string? platform, string? status, string? owner, string? write, string? kind, string? q, CancellationToken ct) =>
        {
            if (!TryEnum<TokenPlatform>(platform, out var p) || !TryEnum<TokenStatus>(status, out var s)
                || !TryEnum<WriteCapability>(write, out var w) || !TryEnum<TokenKind>(kind, out var k))
                return Results.Problem("platform, status, write or kind has an unknown value.", statusCode: StatusCodes.Status400BadRequest);
            var seesAll = (await authz.AuthorizeAsync(http.User, Policies.ReadReports)).Succeeded;
            var filter = new TokenFilter
            {
                Platform = p, Status = s, Write = w, Kind = k, Owner = owner, Text = q,
                VisibleToPersonId = seesAll ? null : http.User.PersonIdOf() ?? -1,
            };
            var result = await inventory.ListAsync(filter, page ?? 1, pageSize ?? 50, ct: ct);
            return Results.Json(new
            {
                items = result.Items.Select(t => new
                {
                    id = t.Id, mask = t.Mask, platform = t.Platform, kind = t.Kind, status = t.Status, owner = t.Owner,
                    suggestedOwner = t.SuggestedOwner, writeCapability = t.WriteCapability, account = t.Account,
                    organizations = t.Organizations, firstSeenAt = t.FirstSeenAt, lastSeenAt = t.LastSeenAt, identified = t.Identified,
                }),
                total = result.Total, page = result.Page, pageSize = result.PageSize,
            }, ApiArguments.Json);
        }).WithName("ListTokens");
        return app;
    }

    private static bool TryEnum<T>(string? text, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Enum.TryParse<T>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)) return false;
        value = parsed;
        return true;
    }
}
