namespace GovernanceDashboard.Inventory;

/// <summary>Everything known of one token, for its page: never the secret.</summary>
public sealed record TokenDetail(
    Token Token,
    IReadOnlyList<Occurrence> Occurrences,
    int OccurrenceCount,
    IReadOnlyList<Exposure> Exposures,
    IReadOnlyList<WriteScopeGrant> Grants,
    IReadOnlyList<WriteScopeRequest> Requests,
    IReadOnlyList<AttestationTaskRow> Attestations,
    IReadOnlyList<AuditEvent> Audit);

public sealed record AttestationTaskRow(string Campaign, DateTimeOffset Deadline, AttestationAnswer Answer, string? Comment, DateTimeOffset? AnsweredAt);

/// <summary>Loads a token's page; a person who neither owns it, nor is suggested for it, nor holds a reading role gets nothing,
/// exactly as if it did not exist (changing the id in the URL reveals nothing).</summary>
public sealed class TokenDetails(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxOccurrences = 200;

    public async Task<TokenDetail?> LoadAsync(int id, int? viewerPersonId, bool viewerSeesEverything, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().Include(t => t.Owner).Include(t => t.SuggestedOwner).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (token is null) return null;
        if (!viewerSeesEverything && (viewerPersonId is null || (token.OwnerId != viewerPersonId && token.SuggestedOwnerId != viewerPersonId))) return null;

        var occurrences = await db.Occurrences.AsNoTracking().Where(o => o.TokenId == id).OrderByDescending(o => o.DetectedAt).ThenByDescending(o => o.Id)
            .Take(MaxOccurrences).ToListAsync(ct);
        var count = await db.Occurrences.CountAsync(o => o.TokenId == id, ct);
        var exposures = await db.Exposures.AsNoTracking().Where(e => e.TokenId == id).OrderBy(e => e.DetectedAt).ToListAsync(ct);
        // The escrow never leaves the store through this page.
        foreach (var e in exposures) e.Escrow = null;
        // Status as of now, as the grid and the metrics say it (an expiry that passed makes it Expired).
        var now = clock.GetUtcNow();
        token.Status = token.StatusAt(now, exposures.Any(e => e.IsOpenAt(now)));
        var grants = await db.WriteScopeGrants.AsNoTracking().Where(g => g.TokenId == id).OrderByDescending(g => g.ApprovedAt).ToListAsync(ct);
        var requests = await db.WriteScopeRequests.AsNoTracking().Include(r => r.Requester).Where(r => r.TokenId == id)
            .OrderByDescending(r => r.CreatedAt).ToListAsync(ct);
        var attestations = await db.AttestationTasks.AsNoTracking().Where(t => t.TokenId == id).OrderByDescending(t => t.Campaign!.OpenedAt)
            .Select(t => new AttestationTaskRow(t.Campaign!.Name, t.Campaign.Deadline, t.Answer, t.Comment, t.AnsweredAt)).ToListAsync(ct);
        var subject = $"token:{id}";
        var audit = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject).OrderByDescending(e => e.Id).Take(100).ToListAsync(ct);
        return new TokenDetail(token, occurrences, count, exposures, grants, requests, attestations, audit);
    }
}
