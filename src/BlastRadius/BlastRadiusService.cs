using System.Collections.Concurrent;

namespace GovernanceDashboard.BlastRadius;

/// <summary>What a "measure reach" came to.</summary>
public enum ReachOutcome { Enriched, Partial, NotFound, Forbidden, NotEnrichable, RateLimited, Invalid, PlatformFailed }

/// <summary>The answer of an enrichment, without the secret: how much was read, the score, and when to try again if cut short.</summary>
public sealed record ReachResult(int TokenId, ReachOutcome Outcome, string Message, int Artefacts = 0, int Writable = 0, double Score = 0,
    bool Complete = false, DateTimeOffset? RetryAt = null, DateTimeOffset? At = null);

/// <summary>Enrichment of write-capable tokens that are still live (an open exposure holds the escrowed value): reads what each can
/// write on its platform (<see cref="GitHubReachReader"/>, <see cref="HuggingFaceReachReader"/>) into <see cref="TokenReach"/> and
/// scores it (<see cref="BlastRadiusRule"/>). On demand (audited, Analyst or Admin) and by a periodic pass; a platform's rate limit
/// pauses that platform until its reset, keeping what was read.</summary>
public sealed class BlastRadiusService(IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, GitHubReachReader gitHub,
    HuggingFaceReachReader huggingFace, TokenInventory inventory, TimeProvider clock, IOptions<BlastRadiusOptions> options, ILogger<BlastRadiusService> log)
{
    private readonly ConcurrentDictionary<TokenPlatform, DateTimeOffset> _pausedUntil = new();

    public BlastRadiusOptions Options => options.Value;

    /// <summary>"Measure reach" by an analyst or admin.</summary>
    public Task<ReachResult> EnrichNowAsync(Actor actor, int tokenId, CancellationToken ct = default) =>
        actor.ManagesInventory
            ? EnrichAsync(tokenId, actor.Email, ct)
            : Task.FromResult(new ReachResult(tokenId, ReachOutcome.Forbidden, "Only analysts and admins measure a token's reach."));

    /// <summary>Reads what the token can write, on behalf of <paramref name="actorName"/> (audited).</summary>
    public async Task<ReachResult> EnrichAsync(int tokenId, string actorName, CancellationToken ct = default)
    {
        Candidate? candidate;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            candidate = await Candidates(db.Tokens.AsNoTracking().Where(t => t.Id == tokenId)).FirstOrDefaultAsync(ct);
        if (candidate is null) return new ReachResult(tokenId, ReachOutcome.NotFound, "No such token.");
        if (candidate.Platform is not (TokenPlatform.HuggingFace or TokenPlatform.GitHub))
            return new ReachResult(tokenId, ReachOutcome.NotEnrichable, "Only Hugging Face and GitHub tokens reach artefacts this dashboard can read.");
        if (candidate.Write != WriteCapability.Write)
            return new ReachResult(tokenId, ReachOutcome.NotEnrichable, "The token is not known to be write-capable: it can change nothing, so its blast radius is 0.");
        if (candidate.Escrow is null)
            return new ReachResult(tokenId, ReachOutcome.NotEnrichable,
                "No open exposure with an escrowed value: the token was revoked, its exposure closed and the copy erased, or no scanner gave the value.");
        var now = clock.GetUtcNow();
        if (_pausedUntil.TryGetValue(candidate.Platform, out var paused) && paused > now)
            return new ReachResult(tokenId, ReachOutcome.RateLimited, $"The platform's rate limit is spent until {paused:u}; try again then.", RetryAt: paused);
        string secret;
        try
        {
            secret = secrets.Unescrow(candidate.Escrow);
        }
        catch (CryptographicException)
        {
            return new ReachResult(tokenId, ReachOutcome.NotEnrichable, "The escrowed value cannot be decrypted with this installation's keys.");
        }

        var reading = candidate.Platform == TokenPlatform.GitHub ? await gitHub.ReadAsync(secret, ct) : await huggingFace.ReadAsync(secret, ct);
        if (reading.RetryAt is { } retryAt) _pausedUntil[candidate.Platform] = retryAt;
        return await RecordAsync(tokenId, candidate.Platform, reading, now, actorName, ct);
    }

    private Task<ReachResult> RecordAsync(int tokenId, TokenPlatform platform, ReachReading reading, DateTimeOffset at, string actorName, CancellationToken ct) =>
        AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var token = await db.Tokens.FirstAsync(t => t.Id == tokenId, ct);
            var source = "enrich:" + platform.ToString().ToLowerInvariant();
            // A refused token says nothing of what it reaches: the rows of its last reading stay as they were.
            var score = reading.Invalid ? token.BlastRadius : await ReachStore.ApplyAsync(db, token, source, reading.Artefacts, reading.Complete, at, ct);
            var writable = reading.Artefacts.Count(a => a.CanWrite);
            await AuditTrail.AppendAsync(db, actorName, "token.reach", Workflows.Approvals.WriteScopeService.TokenSubject(tokenId), after: new
            {
                platform = platform.ToString(), complete = reading.Complete, artefacts = reading.Artefacts.Count, writable, score = Math.Round(score, 3),
                retryAt = reading.RetryAt, invalid = reading.Invalid, error = reading.Error,
            }, at: at, ct: ct);
            await db.SaveChangesAsync(ct);
            var (outcome, message) = reading switch
            {
                { Complete: true } => (ReachOutcome.Enriched, $"Read {writable} writable artefact(s); blast radius {score:0.0}."),
                { Invalid: true } => (ReachOutcome.Invalid, "The platform refused the token (401): it is revoked or invalid; nothing read."),
                { RetryAt: { } retry } => (ReachOutcome.RateLimited,
                    $"The platform's rate limit stopped the reading at {writable} writable artefact(s) (kept); it continues after {retry:u}."),
                _ => (ReachOutcome.PlatformFailed, $"The reading stopped at {writable} writable artefact(s) (kept): {reading.Error}"),
            };
            if (!reading.Complete && reading.Artefacts.Count > 0 && outcome == ReachOutcome.PlatformFailed) outcome = ReachOutcome.Partial;
            return new ReachResult(tokenId, outcome, message, reading.Artefacts.Count, writable, score, reading.Complete, reading.RetryAt, at);
        }, ct);

    /// <summary>One periodic pass: up to <see cref="BlastRadiusOptions.MaxPerPass"/> live write-capable tokens never enriched or enriched
    /// longer than <see cref="BlastRadiusOptions.RefreshHours"/> ago, never read first; a rate-limited platform is skipped until its reset.</summary>
    public async Task<int> RunPassAsync(string actorName = "reach:periodic", CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var due = now.AddHours(-Math.Max(0, Options.RefreshHours));
        List<(int Id, TokenPlatform Platform)> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var found = await Candidates(db.Tokens.AsNoTracking().Where(t => t.WriteCapability == WriteCapability.Write
                    && (t.Platform == TokenPlatform.GitHub || t.Platform == TokenPlatform.HuggingFace)
                    && (t.ReachEnrichedAt == null || t.ReachEnrichedAt < due)))
                .Where(c => c.Escrow != null)
                .OrderBy(c => c.EnrichedAt != null).ThenBy(c => c.EnrichedAt).ThenBy(c => c.Id)
                .Take(Math.Max(1, Options.MaxPerPass)).ToListAsync(ct);
            ids = found.Select(c => (c.Id, c.Platform)).ToList();
        }
        var enriched = 0;
        foreach (var (id, platform) in ids)
        {
            if (_pausedUntil.TryGetValue(platform, out var paused) && paused > clock.GetUtcNow()) continue;
            var result = await EnrichAsync(id, actorName, ct);
            if (result.Outcome == ReachOutcome.Enriched) enriched++;
            else log.LogInformation("Reach of token {TokenId}: {Outcome}.", id, result.Outcome);
        }
        return enriched;
    }

    /// <summary>The artefacts a token can write, most exposed first (the token page's list).</summary>
    public async Task<IReadOnlyList<TokenReach>> TopArtefactsAsync(int tokenId, int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TokenReach.AsNoTracking().Where(r => r.TokenId == tokenId && r.CanWrite).ToListAsync(ct);
        return rows.OrderByDescending(r => BlastRadiusRule.Of(ReachStore.Artefact(r))).ThenBy(r => r.FullName, StringComparer.Ordinal).Take(count).ToList();
    }

    /// <summary>Open exposures' tokens by blast radius, largest first, only those scoring above 0 (the Overview card and the report):
    /// one page of the inventory, so the total is exact and the sort is the grid's.</summary>
    public async Task<PagedResult<TokenRow>> MostDangerousOpenAsync(int count, CancellationToken ct = default)
    {
        var filter = new TokenFilter { Status = TokenStatus.Exposed, MinBlastRadius = double.Epsilon };
        return await inventory.ListAsync(filter, 1, count, TokenSort.BlastRadiusDesc, ct);
    }

    private sealed class Candidate
    {
        public int Id { get; init; }
        public TokenPlatform Platform { get; init; }
        public WriteCapability Write { get; init; }
        public DateTimeOffset? EnrichedAt { get; init; }
        public string? Escrow { get; init; }
    }

    // The escrowed value of the token's open exposure, as validation reads it: none once the exposure closed.
    private static IQueryable<Candidate> Candidates(IQueryable<Token> tokens) => tokens.WithEscrowCopy().Select(c => new Candidate
    {
        Id = c.Token.Id, Platform = c.Token.Platform, Write = c.Token.WriteCapability, EnrichedAt = c.Token.ReachEnrichedAt, Escrow = c.Escrow,
    });
}
