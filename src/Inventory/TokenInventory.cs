using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Inventory;

/// <summary>Filters for the token inventory (grid, API, CSV).</summary>
public sealed record TokenFilter
{
    public TokenPlatform? Platform { get; init; }
    public TokenKind? Kind { get; init; }
    public TokenStatus? Status { get; init; }

    /// <summary>An owner's email, or "none" (no owner) or "orphaned" (owner left).</summary>
    public string? Owner { get; init; }
    public WriteCapability? Write { get; init; }
    public string? Team { get; init; }

    /// <summary>An organisation the token reaches (matched within its organisations).</summary>
    public string? Organization { get; init; }

    /// <summary>Only write-capable tokens that no approved, unexpired grant justifies (as of now).</summary>
    public bool UnjustifiedWrite { get; init; }

    /// <summary>Free text on mask, account, organisation or repository.</summary>
    public string? Text { get; init; }

    /// <summary>When set, only tokens owned by or suggested to this person (owner self-service isolation).</summary>
    public int? VisibleToPersonId { get; init; }
}

/// <summary>One row of the inventory: masks only, never secrets.</summary>
public sealed record TokenRow(int Id, string Mask, TokenPlatform Platform, TokenKind Kind, TokenStatus Status, string? Owner,
    bool OwnerActive, string? SuggestedOwner, WriteCapability WriteCapability, string? Account, string? Organizations,
    DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, bool Identified);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public enum TokenSort { LastSeenDesc, FirstSeenDesc, FirstSeenAsc, MaskAsc, PlatformAsc, StatusAsc, OwnerAsc }

/// <summary>Server-side paging, sorting and filtering of tokens; never loads the whole table.</summary>
public sealed class TokenInventory(IDbContextFactory<GovernanceDbContext> dbFactory)
{
    public const int MaxPageSize = 500;

    public async Task<PagedResult<TokenRow>> ListAsync(TokenFilter filter, int page, int pageSize, TokenSort sort = TokenSort.LastSeenDesc, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Apply(db, db.Tokens.AsNoTracking(), filter);
        var total = await query.CountAsync(ct);
        query = sort switch
        {
            TokenSort.FirstSeenDesc => query.OrderByDescending(t => t.FirstSeenAt).ThenByDescending(t => t.Id),
            TokenSort.FirstSeenAsc => query.OrderBy(t => t.FirstSeenAt).ThenBy(t => t.Id),
            TokenSort.MaskAsc => query.OrderBy(t => t.Mask).ThenBy(t => t.Id),
            TokenSort.PlatformAsc => query.OrderBy(t => t.Platform).ThenBy(t => t.Id),
            TokenSort.StatusAsc => query.OrderBy(t => t.Status).ThenBy(t => t.Id),
            TokenSort.OwnerAsc => query.OrderBy(t => t.Owner!.Email).ThenBy(t => t.Id),
            _ => query.OrderByDescending(t => t.LastSeenAt).ThenByDescending(t => t.Id),
        };
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(t => new TokenRow(t.Id, t.Mask, t.Platform, t.Kind, t.Status, t.Owner != null ? t.Owner.Email : null,
                t.Owner != null && t.Owner.Active, t.SuggestedOwner != null ? t.SuggestedOwner.Email : null, t.WriteCapability,
                t.Account, t.Organizations, t.FirstSeenAt, t.LastSeenAt, t.Identified))
            .ToListAsync(ct);
        return new PagedResult<TokenRow>(items, total, page, pageSize);
    }

    internal static IQueryable<Token> Apply(GovernanceDbContext db, IQueryable<Token> query, TokenFilter f)
    {
        if (f.VisibleToPersonId is { } me) query = query.Where(t => t.OwnerId == me || t.SuggestedOwnerId == me);
        if (f.Platform is { } platform) query = query.Where(t => t.Platform == platform);
        if (f.Kind is { } kind) query = query.Where(t => t.Kind == kind);
        if (f.Status is { } status) query = query.Where(t => t.Status == status);
        if (f.Write is { } write) query = query.Where(t => t.WriteCapability == write);
        if (!string.IsNullOrWhiteSpace(f.Team)) query = query.Where(t => t.Owner != null && t.Owner.Team == f.Team);
        if (!string.IsNullOrWhiteSpace(f.Organization)) query = query.Where(t => t.Organizations != null && t.Organizations.Contains(f.Organization));
        if (f.UnjustifiedWrite)
        {
            var now = DateTimeOffset.UtcNow;
            query = query.Where(t => t.WriteCapability == WriteCapability.Write && t.Status != TokenStatus.Revoked && t.Status != TokenStatus.Expired
                && !db.WriteScopeGrants.Any(g => g.TokenId == t.Id && g.ApprovedAt <= now && g.ExpiresAt > now && g.WithdrawnAt == null));
        }
        switch (f.Owner?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "none":
                query = query.Where(t => t.OwnerId == null);
                break;
            case "orphaned":
                // Orphaned is said of active tokens (METRICS.md): a revoked token whose owner left needs nobody.
                query = query.Where(t => t.OwnerId != null && !t.Owner!.Active && t.Status != TokenStatus.Revoked && t.Status != TokenStatus.Expired);
                break;
            case var email:
                query = query.Where(t => t.Owner != null && t.Owner.Email == email);
                break;
        }
        if (!string.IsNullOrWhiteSpace(f.Text))
        {
            var text = f.Text.Trim();
            query = query.Where(t => t.Mask.Contains(text) || (t.Account != null && t.Account.Contains(text))
                || (t.Organizations != null && t.Organizations.Contains(text))
                || t.Occurrences.Any(o => o.Repository != null && o.Repository.Contains(text)));
        }
        return query;
    }
}
