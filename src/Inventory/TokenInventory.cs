namespace GovernanceDashboard.Inventory;

/// <summary>Filters for the token inventory (grid, API, CSV).</summary>
public sealed record TokenFilter
{
    public TokenPlatform? Platform { get; init; }
    public TokenKind? Kind { get; init; }
    public TokenStatus? Status { get; init; }

    /// <summary>Only active tokens (neither revoked nor expired; exposed ones are active), as the signals count them.</summary>
    public bool Live { get; init; }

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

    /// <summary>Only tokens whose blast radius counts at least this much now (BlastRadiusRule.Effective).</summary>
    public double? MinBlastRadius { get; init; }

    /// <summary>When set, only tokens owned by or suggested to this person (owner self-service isolation).</summary>
    public int? VisibleToPersonId { get; init; }
}

/// <summary>One row of the inventory: masks only, never secrets.</summary>
public sealed record TokenRow(int Id, string Mask, TokenPlatform Platform, TokenKind Kind, TokenStatus Status, string? Owner,
    bool OwnerActive, string? SuggestedOwner, WriteCapability WriteCapability, string? Account, string? Organizations,
    DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, bool Identified, string? OwnerName = null, string? SuggestedOwnerName = null,
    string Source = TokenSources.Leak,
    double BlastRadius = 0);

/// <summary>Where a token came from: a leak (scanner findings, GitHub's alerts), a GitHub organisation's token list, or both (a leaked
/// classic token linked to the organisation's credential authorisation).</summary>
public static class TokenSources
{
    public const string Leak = "leak";
    public const string GitHubOrg = "github-org";
    public const string Both = "both";

    /// <summary>Identities of tokens named by GitHub's token id (never a secret's): see OrgTokenNames.Identity.</summary>
    public const string GitHubOrgIdentityPrefix = "g:";
}

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>The inventory's orders; each has its reverse, so a grid header can sort either way.</summary>
public enum TokenSort
{
    LastSeenDesc, FirstSeenDesc, FirstSeenAsc, MaskAsc, PlatformAsc, StatusAsc, OwnerAsc,
    LastSeenAsc, MaskDesc, PlatformDesc, StatusDesc, OwnerDesc, KindAsc, KindDesc, WriteAsc, WriteDesc, BlastRadiusAsc, BlastRadiusDesc,
}

/// <summary>Server-side paging, sorting and filtering of tokens; never loads the whole table.</summary>
/// <remarks>Which tokens match, how many, and which ids make the page come from the in-memory facts
/// (<see cref="TokenSelection"/>); only the page's rows are read from the store. Status is as of now (an expiry that
/// passed shows Expired).</remarks>
public sealed class TokenInventory(GovernanceFacts facts, IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxPageSize = 500;

    public async Task<PagedResult<TokenRow>> ListAsync(TokenFilter filter, int page, int pageSize, TokenSort sort = TokenSort.LastSeenDesc, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var now = clock.GetUtcNow();
        var skip = (int)Math.Min((long)(page - 1) * pageSize, int.MaxValue);
        var selection = await facts.ReadAsync(f => TokenSelection.Select(f, filter, sort, now, skip, pageSize), ct);
        return new PagedResult<TokenRow>(await RowsAsync(selection.Page, ct), selection.Total, page, pageSize);
    }

    /// <summary>Every matching token in order (the CSV export): selected once, read in batches.</summary>
    public async IAsyncEnumerable<TokenRow> AllAsync(TokenFilter filter, TokenSort sort = TokenSort.LastSeenDesc,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var selection = await facts.ReadAsync(f => TokenSelection.Select(f, filter, sort, now, 0, int.MaxValue), ct);
        foreach (var batch in selection.Page.Chunk(MaxPageSize))
            foreach (var row in await RowsAsync(batch, ct))
                yield return row;
    }

    private async Task<List<TokenRow>> RowsAsync(IReadOnlyList<(int Id, TokenStatus Status)> page, CancellationToken ct)
    {
        if (page.Count == 0) return [];
        var ids = page.Select(p => p.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Tokens.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new TokenRow(t.Id, t.Mask, t.Platform, t.Kind, t.Status, t.Owner != null ? t.Owner.Email : null,
                t.Owner != null && t.Owner.Active, t.SuggestedOwner != null ? t.SuggestedOwner.Email : null, t.WriteCapability,
                t.Account, t.Organizations, t.FirstSeenAt, t.LastSeenAt, t.Identified,
                t.Owner != null ? t.Owner.DisplayName : null, t.SuggestedOwner != null ? t.SuggestedOwner.DisplayName : null,
                t.Identity.StartsWith(TokenSources.GitHubOrgIdentityPrefix) ? TokenSources.GitHubOrg
                    : db.GitHubCredentialAuthorizations.Any(a => a.TokenId == t.Id) ? TokenSources.Both : TokenSources.Leak, t.BlastRadius))
            .ToDictionaryAsync(r => r.Id, ct);
        // In the page's order; a token deleted since the selection is left out. Status as of now, and the score that counts with it.
        return page.Where(p => rows.ContainsKey(p.Id)).Select(p => rows[p.Id] with
        {
            Status = p.Status, BlastRadius = BlastRadiusRule.Effective(rows[p.Id].BlastRadius, rows[p.Id].WriteCapability, p.Status),
        }).ToList();
    }
}
