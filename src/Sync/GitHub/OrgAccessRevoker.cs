using System.Net;

namespace GovernanceDashboard.Sync.GitHub;

/// <summary>What a revoke request became: sent (GitHub took it), or queued (GitHub could not be reached; retried with its error).</summary>
public sealed record OrgRevokeOutcome(int TokenId, bool Sent, string? Error);

/// <summary>Revokes an organisation's access for a synced fine-grained PAT: <c>POST /orgs/{org}/personal-access-tokens/{pat_id}</c>
/// with <c>{"action":"revoke"}</c>. Asked from the token page (Admin, Analyst) or by an attestation answer (or owner) that flags the
/// token for revocation; kept on the token's <see cref="GitHubOrgToken"/> row until GitHub took it, so a restart loses none.</summary>
public sealed class OrgAccessRevoker(OrgTokenReader reader, IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock, ILogger<OrgAccessRevoker> log)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Whether the token's organisation access can be revoked through GitHub (a synced PAT still listed).</summary>
    public async Task<bool> CanRevokeAsync(int tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.GitHubOrgTokens.AnyAsync(r => r.TokenId == tokenId && r.GoneAt == null && r.RevokeSentAt == null, ct);
    }

    /// <summary>An Analyst or Admin revokes the organisation's access now; audited; sent at once, queued when GitHub cannot be reached.</summary>
    public async Task<WorkflowResult<OrgRevokeOutcome>> RequestAsync(Actor actor, int tokenId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.ManagesInventory) return Refusal.Forbidden("Only an Analyst or an Admin revokes a token's organisation access.");
        var refusal = await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var row = await db.GitHubOrgTokens.Include(r => r.Token).FirstOrDefaultAsync(r => r.TokenId == tokenId, ct);
            if (row is null) return (Refusal?)Refusal.NotFound("This token was not synced from a GitHub organisation.");
            if (row.GoneAt is not null || row.RevokeSentAt is not null) return Refusal.Conflict("GitHub no longer lists this token's access to the organisation.");
            if (row.RevokeRequestedAt is not null) return null;
            var now = clock.GetUtcNow();
            row.RevokeRequestedAt = now;
            row.RevokeRequestedBy = actor.Email;
            row.RevokeNextAttemptAt = now;
            row.Token!.RevocationRequestedAt ??= now;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await AuditTrail.AppendAsync(db, actor.Email, "token.github-org.revoke-requested", WriteScopeService.TokenSubject(tokenId),
                after: new { org = row.Organization, patId = row.PatId }, at: now, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return null;
        }, ct);
        if (refusal is { } refused) return refused;
        await SendDueAsync(tokenId, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var state = await read.GitHubOrgTokens.AsNoTracking().Where(r => r.TokenId == tokenId).Select(r => new { r.RevokeSentAt, r.RevokeError }).SingleAsync(ct);
        return WorkflowResult<OrgRevokeOutcome>.Ok(new OrgRevokeOutcome(tokenId, state.RevokeSentAt is not null, state.RevokeError));
    }

    /// <summary>Tokens flagged for revocation elsewhere (an attestation answered "revoke", an owner's request) whose access GitHub still
    /// lists are queued here: for a synced PAT, revoking the organisation's access is the revocation.</summary>
    public async Task<int> QueueFlaggedAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var flagged = await db.GitHubOrgTokens.Include(r => r.Token)
            .Where(r => r.GoneAt == null && r.RevokeRequestedAt == null && r.Token!.RevocationRequestedAt != null && r.Token.RevokedAt == null).ToListAsync(ct);
        foreach (var row in flagged)
        {
            row.RevokeRequestedAt = row.Token!.RevocationRequestedAt;
            row.RevokeRequestedBy = "revocation requested on the token (attestation or owner)";
            row.RevokeNextAttemptAt = now;
        }
        await db.SaveChangesAsync(ct);
        return flagged.Count;
    }

    /// <summary>Sends every due revocation (or only <paramref name="onlyTokenId"/>'s); returns how many GitHub took.</summary>
    public async Task<int> SendDueAsync(int? onlyTokenId = null, CancellationToken ct = default)
    {
        return await OrgTokenReader.DrainAsync(() => ClaimAsync(onlyTokenId, ct), row => SendAsync(row, ct));
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.GitHubOrgTokens.AsNoTracking().Where(r => r.RevokeRequestedAt != null && r.RevokeSentAt == null && r.GoneAt == null)
            .OrderBy(r => r.RevokeNextAttemptAt).Select(r => r.RevokeNextAttemptAt).FirstOrDefaultAsync(ct);
    }

    private async Task<GitHubOrgToken?> ClaimAsync(int? onlyTokenId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var due = await db.GitHubOrgTokens.AsNoTracking()
                .Where(r => r.RevokeRequestedAt != null && r.RevokeSentAt == null && r.GoneAt == null && r.RevokeNextAttemptAt <= now
                    && (onlyTokenId == null || r.TokenId == onlyTokenId))
                .OrderBy(r => r.RevokeNextAttemptAt).FirstOrDefaultAsync(ct);
            if (due is null) return null;
            var claimed = await db.GitHubOrgTokens.Where(r => r.Organization == due.Organization && r.GitHubTokenId == due.GitHubTokenId
                    && r.RevokeSentAt == null && r.RevokeNextAttemptAt == due.RevokeNextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.RevokeNextAttemptAt, now + Lease).SetProperty(r => r.RevokeAttempts, r => r.RevokeAttempts + 1), ct);
            if (claimed == 1) return due;
        }
    }

    private async Task<(bool Done, bool Wait)> SendAsync(GitHubOrgToken row, CancellationToken ct)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"orgs/{OrgTokenReader.Org(row.Organization)}/personal-access-tokens/{row.PatId}");
        return await reader.PostQueuedAsync(path, new { action = "revoke" }, async response =>
        {
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
            {
                // 404: GitHub no longer has the grant (revoked or deleted meanwhile): the access is gone either way.
                await RevokedAsync(row, response.StatusCode == HttpStatusCode.NotFound ? "already gone on GitHub (HTTP 404)" : null);
                return (true, false);
            }
            return (false, await RetryAsync(row, $"GitHub answered HTTP {(int)response.StatusCode}: {await GitHubAppConnection.ReasonAsync(response, ct)}", null));
        }, (error, at) => RetryAsync(row, error, at), ct);
    }

    private Task<bool> RevokedAsync(GitHubOrgToken row, string? note) => AuditTrail.WithLockAsync(async () =>
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var stored = await db.GitHubOrgTokens.Include(r => r.Token).SingleAsync(r => r.Organization == row.Organization && r.GitHubTokenId == row.GitHubTokenId, CancellationToken.None);
        stored.RevokeSentAt = now;
        stored.GoneAt = now;
        stored.RevokeError = null;
        var token = stored.Token!;
        token.RevokedAt ??= now;
        token.RevocationNote = "organisation access revoked through GitHub's API";
        token.RevocationRequestedAt = null;
        token.Status = TokenStatus.Revoked;
        await AuditTrail.AppendAsync(db, stored.RevokeRequestedBy ?? OrgTokenNames.Actor, "token.github-org.revoked", WriteScopeService.TokenSubject(stored.TokenId),
            after: new { org = stored.Organization, patId = stored.PatId, note }, at: now, ct: CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        return true;
    }, CancellationToken.None);

    private async Task<bool> RetryAsync(GitHubOrgToken row, string error, DateTimeOffset? at)
    {
        var next = at ?? clock.GetUtcNow() + RevocationService.Backoff(row.RevokeAttempts + 1);
        var cut = error.Length > 500 ? error[..500] : error;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.GitHubOrgTokens.Where(r => r.Organization == row.Organization && r.GitHubTokenId == row.GitHubTokenId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.RevokeNextAttemptAt, next).SetProperty(r => r.RevokeError, cut), CancellationToken.None);
        log.LogWarning("Revoking the access of GitHub token {TokenId} to {Organization}: {Error}; next attempt at {Next:u}.", row.TokenId, row.Organization, error, next);
        return true;
    }
}
