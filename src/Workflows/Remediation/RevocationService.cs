namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>"Revoke now" and the queue behind it: requests are stored first, then sent in batches per platform (within GitHub's
/// limits), and on the platform's 202 the token is revoked, its open exposures remediated at the call's time and their escrow erased.</summary>
/// <remarks>
/// Sending is at-least-once: a sender claims due requests by moving their next attempt past the call's longest duration, calls,
/// then records. A sender that dies in between leaves the claim to lapse and the request is sent again; both platforms' revocation
/// is idempotent, so a resend is harmless, and a request is never lost. Within a process one sender runs at a time.
/// </remarks>
public sealed class RevocationService(IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, HuggingFaceClient huggingFace,
    GitHubClient gitHub, PlatformHttpOptions http, RevocationSignal signal, TimeProvider clock, ILogger<RevocationService> log) : IDisposable
{
    /// <summary>Requests per call: GitHub's maximum, and a body size Hugging Face takes without trouble.</summary>
    public const int BatchSize = GitHubClient.MaxCredentialsPerRequest;

    public const string AutomaticActor = "policy:auto-revoke";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Queues the tokens of the given exposures for revocation (Analyst or Admin). One outcome per distinct id.</summary>
    public async Task<IReadOnlyList<RevokeResult>> RequestAsync(Actor actor, IReadOnlyCollection<int> exposureIds, CancellationToken ct = default)
    {
        var ids = exposureIds.Distinct().ToList();
        if (!actor.ManagesInventory) return [.. ids.Select(id => new RevokeResult(id, RevokeOutcome.Forbidden, null, "Only analysts and admins revoke tokens."))];
        var results = await AuditTrail.WithLockAsync(async () =>
        {
            var now = clock.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var list = new List<RevokeResult>(ids.Count);
            foreach (var chunk in ids.Chunk(500))
            {
                var exposures = await db.Exposures.AsNoTracking().Where(e => chunk.Contains(e.Id))
                    .Select(e => new { e.Id, e.TokenId, e.State, HasEscrow = e.Escrow != null, e.Token!.Platform, e.Token.Kind, e.Token.Mask })
                    .ToDictionaryAsync(e => e.Id, ct);
                var tokenIds = exposures.Values.Select(e => e.TokenId).Distinct().ToList();
                var open = (await db.RevocationRequests.AsNoTracking()
                        .Where(r => tokenIds.Contains(r.TokenId) && r.State != RevocationState.Cancelled)
                        .Select(r => new { r.TokenId, r.Id }).ToListAsync(ct))
                    .GroupBy(r => r.TokenId).ToDictionary(g => g.Key, g => g.Max(r => r.Id));
                var queued = new Dictionary<int, RevocationRequest>();
                foreach (var id in chunk)
                {
                    if (!exposures.TryGetValue(id, out var e))
                    {
                        list.Add(new RevokeResult(id, RevokeOutcome.NotFound, null, "No such exposure."));
                        continue;
                    }
                    var manual = RevocationSupport.ManualUrl(e.Platform);
                    if (e.State != ExposureState.Open)
                    {
                        list.Add(new RevokeResult(id, RevokeOutcome.Closed, null, $"The exposure is already closed ({e.State}); nothing to revoke."));
                        continue;
                    }
                    if (RevocationSupport.WhyNotByApi(e.Platform, e.Kind) is { } why)
                    {
                        list.Add(new RevokeResult(id, RevokeOutcome.NotRevocable, null, $"{why} Revoke it by hand{(manual is null ? "" : " at " + manual)}, then record the time.", manual));
                        continue;
                    }
                    if (!e.HasEscrow)
                    {
                        list.Add(new RevokeResult(id, RevokeOutcome.NotRevocable, null,
                            "No escrowed value: the scanner did not give the secret (a masked SARIF result, an alert fetched with hide_secret), so it "
                            + $"cannot be sent to the platform. Revoke it by hand at {manual}, then record the time.", manual));
                        continue;
                    }
                    // One request per token: revoking the same token twice sends it once.
                    if (open.TryGetValue(e.TokenId, out var existing) || queued.ContainsKey(e.TokenId))
                    {
                        list.Add(new RevokeResult(id, RevokeOutcome.AlreadyRequested, existing == 0 ? null : existing, "This token's revocation is already requested."));
                        continue;
                    }
                    var request = new RevocationRequest
                    {
                        ExposureId = e.Id, TokenId = e.TokenId, Platform = e.Platform, State = RevocationState.Queued, NextAttemptAt = now,
                        RequestedBy = actor.Email, CreatedAt = now,
                    };
                    db.RevocationRequests.Add(request);
                    queued[e.TokenId] = request;
                    await AuditTrail.AppendAsync(db, actor.Email, "revocation.queued", WriteScopeService.TokenSubject(e.TokenId),
                        after: new { exposureId = e.Id, platform = e.Platform.ToString(), mask = e.Mask }, at: now, ct: ct);
                    list.Add(new RevokeResult(id, RevokeOutcome.Queued, null, "Queued for revocation."));
                }
                await db.SaveChangesAsync(ct);
                // The ids exist once saved.
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is { Outcome: RevokeOutcome.Queued or RevokeOutcome.AlreadyRequested, RequestId: null } r
                        && exposures.TryGetValue(r.ExposureId, out var e) && queued.TryGetValue(e.TokenId, out var saved))
                        list[i] = r with { RequestId = saved.Id };
            }
            return list;
        }, ct);
        if (results.Any(r => r.Outcome == RevokeOutcome.Queued)) signal.Notify();
        return results;
    }

    /// <summary>The platform remediation state of the given exposures (the latest request of each), for lists and the API.</summary>
    public async Task<IReadOnlyDictionary<int, RemediationStatus>> StatusOfAsync(IReadOnlyCollection<int> exposureIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statuses = new Dictionary<int, RemediationStatus>();
        foreach (var chunk in exposureIds.Distinct().Chunk(500))
        {
            var rows = await db.RevocationRequests.AsNoTracking().Where(r => chunk.Contains(r.ExposureId)).OrderBy(r => r.Id)
                .Select(r => new { r.ExposureId, r.State, r.LastError, r.Attempts, r.NextAttemptAt, r.SentAt, r.AlertReceivedAt }).ToListAsync(ct);
            foreach (var r in rows)
                statuses[r.ExposureId] = new RemediationStatus(r.ExposureId, RemediationStatus.StateOf(r.State), r.LastError, r.Attempts,
                    r.State is RevocationState.Queued or RevocationState.Failed ? r.NextAttemptAt : null, r.SentAt, r.AlertReceivedAt);
        }
        return statuses;
    }

    /// <summary>Sends every request due at <paramref name="now"/> (or only the given ones), batch by batch, within the platforms'
    /// limits; returns how many requests the platforms accepted.</summary>
    /// <remarks>The two platforms are served side by side, and each sends its batches back to back before recording their
    /// answers (at most <see cref="BatchesPerRecord"/> at a time): the revocation reaches the platform as early as it can, and the
    /// store's bookkeeping follows. Claims outlast the calls, so nothing else sends them meanwhile.</remarks>
    public async Task<int> SendDueAsync(DateTimeOffset now, IReadOnlyCollection<long>? only = null, CancellationToken ct = default)
    {
        await _sending.WaitAsync(ct);
        try
        {
            var counts = await Task.WhenAll(SendPlatformAsync(TokenPlatform.HuggingFace, now, only, ct), SendPlatformAsync(TokenPlatform.GitHub, now, only, ct));
            return counts.Sum();
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>How many sent batches wait for their answers to be recorded.</summary>
    private const int BatchesPerRecord = 10;

    private async Task<int> SendPlatformAsync(TokenPlatform platform, DateTimeOffset now, IReadOnlyCollection<long>? only, CancellationToken ct)
    {
        var accepted = 0;
        var answered = new List<Batch>();
        // Accepted batches not yet recorded are not claimed again, even if their claim lapsed on a slow machine.
        var pending = new HashSet<long>();
        while (await ClaimAsync(platform, now, only, pending, ct) is { } batch)
        {
            if (batch.Items.Count == 0) continue;
            var answer = await CallAsync(batch, ct);
            if (!answer.Accepted)
            {
                // A failure is recorded at once: the request waits out its backoff.
                await RecordFailedAsync(batch, answer, ct);
                continue;
            }
            answered.Add(batch);
            pending.UnionWith(batch.Items.Select(i => i.RequestId));
            if (answered.Count >= BatchesPerRecord) accepted += await RecordAcceptedAsync(answered, pending, ct);
        }
        return accepted + await RecordAcceptedAsync(answered, pending, ct);
    }

    private async Task<int> RecordAcceptedAsync(List<Batch> answered, HashSet<long> pending, CancellationToken ct)
    {
        var accepted = 0;
        foreach (var batch in answered)
        {
            await RecordAcceptedAsync(batch, ct);
            accepted += batch.Items.Count;
        }
        answered.Clear();
        pending.Clear();
        return accepted;
    }

    /// <summary>When the next queued request can be sent (null: nothing waits), for the worker's sleep; GitHub's requests wait for
    /// a free slot in its hourly budget.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = db.RevocationRequests.AsNoTracking().Where(r => r.State == RevocationState.Queued || r.State == RevocationState.Failed);
        var huggingFaceNext = await waiting.Where(r => r.Platform == TokenPlatform.HuggingFace)
            .OrderBy(r => r.NextAttemptAt).Select(r => (DateTimeOffset?)r.NextAttemptAt).FirstOrDefaultAsync(ct);
        var gitHubNext = await waiting.Where(r => r.Platform == TokenPlatform.GitHub)
            .OrderBy(r => r.NextAttemptAt).Select(r => (DateTimeOffset?)r.NextAttemptAt).FirstOrDefaultAsync(ct);
        if (gitHubNext is { } next)
        {
            var hourAgo = clock.GetUtcNow() - TimeSpan.FromHours(1);
            var recent = await db.RevocationCalls.AsNoTracking().Where(c => c.Platform == TokenPlatform.GitHub && c.At > hourAgo)
                .OrderByDescending(c => c.At).Take(GitHubClient.MaxRequestsPerHour).Select(c => c.At).ToListAsync(ct);
            // With the budget spent, the oldest call of the window frees the next slot an hour after it was made.
            if (recent.Count >= GitHubClient.MaxRequestsPerHour && recent[^1] + TimeSpan.FromHours(1) > next) gitHubNext = recent[^1] + TimeSpan.FromHours(1);
        }
        return huggingFaceNext is null ? gitHubNext : gitHubNext is null ? huggingFaceNext : (huggingFaceNext < gitHubNext ? huggingFaceNext : gitHubNext);
    }

    private sealed record Claimed(long RequestId, int ExposureId, int TokenId, string Secret);

    private sealed record Batch(TokenPlatform Platform, DateTimeOffset At, List<Claimed> Items);

    /// <summary>Claims up to one call's worth of due requests in one write transaction, so no other sender takes them; requests whose
    /// exposure closed meanwhile, or whose value the API cannot take, are cancelled here. Null when nothing is due or GitHub's hourly
    /// budget is spent.</summary>
    private async Task<Batch?> ClaimAsync(TokenPlatform platform, DateTimeOffset now, IReadOnlyCollection<long>? only, HashSet<long> pending, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (platform == TokenPlatform.GitHub)
        {
            var hourAgo = now - TimeSpan.FromHours(1);
            var calls = await db.RevocationCalls.CountAsync(c => c.Platform == platform && c.At > hourAgo, ct);
            if (calls >= GitHubClient.MaxRequestsPerHour) return null;
        }
        var query = db.RevocationRequests.Where(r => r.Platform == platform
            && (r.State == RevocationState.Queued || r.State == RevocationState.Failed) && r.NextAttemptAt <= now);
        if (only is not null) query = query.Where(r => only.Contains(r.Id));
        if (pending.Count > 0) query = query.Where(r => !pending.Contains(r.Id));
        var due = await query.OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).Take(BatchSize)
            .Select(r => new { r.Id, r.ExposureId, r.TokenId, r.Attempts, r.Exposure!.State, r.Exposure.Escrow }).ToListAsync(ct);
        if (due.Count == 0) return null;

        var at = clock.GetUtcNow();
        var lease = at + http.TotalTimeout + TimeSpan.FromSeconds(5);
        var items = new List<Claimed>(due.Count);
        var sentTokens = new HashSet<int>();
        foreach (var r in due)
        {
            if (r.State != ExposureState.Open || r.Escrow is null)
            {
                await SetAsync(db, r.Id, RevocationState.Cancelled, r.State != ExposureState.Open
                    ? $"the exposure closed ({r.State}) before it was sent" : "no escrowed value to send", null, ct);
                continue;
            }
            string secret;
            try
            {
                secret = secrets.Unescrow(r.Escrow);
            }
            catch (CryptographicException)
            {
                // The key ring is not this store's (or was lost): keep the request, an operator may restore the keys.
                await SetAsync(db, r.Id, RevocationState.Failed, "the escrowed value cannot be decrypted with this installation's keys", at + Backoff(r.Attempts), ct);
                continue;
            }
            if (!RevocationSupport.AcceptsValue(platform, secret))
            {
                await SetAsync(db, r.Id, RevocationState.Cancelled, "the value does not carry a prefix the platform's revocation API accepts; revoke it by hand", null, ct);
                continue;
            }
            // Two exposures of one token in one batch: the credential goes once.
            items.Add(new Claimed(r.Id, r.ExposureId, r.TokenId, sentTokens.Add(r.TokenId) ? secret : ""));
        }
        var claimed = items.Select(i => i.RequestId).ToList();
        if (claimed.Count > 0)
        {
            await db.RevocationRequests.Where(r => claimed.Contains(r.Id)).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.Attempts, r => r.Attempts + 1).SetProperty(r => r.LastAttemptAt, at).SetProperty(r => r.NextAttemptAt, lease), ct);
            db.RevocationCalls.Add(new RevocationCall { Platform = platform, At = at, Credentials = sentTokens.Count });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new Batch(platform, at, items);
    }

    private static Task<int> SetAsync(GovernanceDbContext db, long id, RevocationState state, string why, DateTimeOffset? next, CancellationToken ct) =>
        next is { } nextAt
            ? db.RevocationRequests.Where(r => r.Id == id).ExecuteUpdateAsync(u => u
                .SetProperty(r => r.State, state).SetProperty(r => r.LastError, why).SetProperty(r => r.NextAttemptAt, nextAt), ct)
            : db.RevocationRequests.Where(r => r.Id == id).ExecuteUpdateAsync(u => u.SetProperty(r => r.State, state).SetProperty(r => r.LastError, why), ct);

    private async Task<RevokeAnswer> CallAsync(Batch batch, CancellationToken ct)
    {
        var credentials = batch.Items.Where(i => i.Secret.Length > 0).Select(i => i.Secret).ToList();
        var answer = batch.Platform == TokenPlatform.GitHub
            ? await gitHub.RevokeAsync(credentials, ct)
            : await huggingFace.RevokeAsync(credentials, ct);
        if (answer.Accepted) log.LogInformation("Revocation: {Platform} accepted {Count} credential(s).", batch.Platform, credentials.Count);
        else log.LogWarning("Revocation: {Platform} call for {Count} credential(s) failed: {Error}", batch.Platform, credentials.Count, answer.Error);
        return answer;
    }

    private async Task RecordFailedAsync(Batch batch, RevokeAnswer answer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = batch.Items.Select(i => i.RequestId).ToList();
        foreach (var r in await db.RevocationRequests.Where(r => ids.Contains(r.Id) && r.State != RevocationState.Sent).ToListAsync(ct))
            Fail(r, now, answer.Error ?? "the platform refused the request");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The platform took the batch: requests sent, tokens revoked and exposures remediated at the call's time (the same rule
    /// as a revocation recorded by hand), escrow erased, one audit event, owners and their managers told.</summary>
    private async Task RecordAcceptedAsync(Batch batch, CancellationToken ct) => await AuditTrail.WithLockAsync(async () =>
    {
        var now = clock.GetUtcNow();
        var by = "revocation:" + batch.Platform.ToString().ToLowerInvariant();
        var note = $"revocation requested through the {PlatformName(batch.Platform)} API";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = batch.Items.Select(i => i.RequestId).ToList();
        // Another sender may have recorded a resend of these already: only what is not yet Sent is recorded.
        var tokenIds = await db.RevocationRequests.Where(r => ids.Contains(r.Id) && r.State != RevocationState.Sent).Select(r => r.TokenId).Distinct().ToListAsync(ct);
        await db.RevocationRequests.Where(r => ids.Contains(r.Id) && r.State != RevocationState.Sent).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.State, RevocationState.Sent).SetProperty(r => r.SentAt, batch.At).SetProperty(r => r.LastError, (string?)null), ct);
        var tokens = new Dictionary<int, Token>();
        var exposures = new List<Exposure>();
        foreach (var chunk in tokenIds.Chunk(500))
        {
            foreach (var t in await db.Tokens.Where(t => chunk.Contains(t.Id)).ToListAsync(ct)) tokens[t.Id] = t;
            exposures.AddRange(await db.Exposures.Where(e => chunk.Contains(e.TokenId) && e.State != ExposureState.Dismissed).ToListAsync(ct));
        }
        var byToken = exposures.ToLookup(e => e.TokenId);
        var remediated = new List<int>();
        foreach (var token in tokens.Values)
            remediated.AddRange(RevocationRules.Apply(token, byToken[token.Id], batch.At, note, by));

        await AuditTrail.AppendAsync(db, by, "revocation.sent", "platform:" + batch.Platform,
            after: new { requestedAt = batch.At, credentials = tokens.Count, tokens = tokenIds, exposuresRemediated = remediated }, at: now, ct: ct);
        await NotifyOwnersAsync(db, tokens.Values, batch, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return 0;
    }, ct);

    private static async Task NotifyOwnersAsync(GovernanceDbContext db, IEnumerable<Token> tokens, Batch batch, DateTimeOffset now, CancellationToken ct)
    {
        var managers = new Dictionary<int, int?>();
        foreach (var token in tokens.Where(t => t.OwnerId is not null))
        {
            var owner = token.OwnerId!.Value;
            var subject = $"Token {token.Mask} was revoked";
            var body = $"The dashboard asked {PlatformName(batch.Platform)} to revoke the token {token.Mask} at {batch.At:yyyy-MM-dd HH:mm} UTC because it was "
                + "found exposed. Anything still using it will stop working: issue a new token and store it in a secret manager.";
            var link = FormattableString.Invariant($"/tokens/{token.Id}");
            Notifier.Add(db, owner, NotificationKinds.RevocationSent, subject, body, link, now);
            if (!managers.TryGetValue(owner, out var manager))
            {
                manager = (await Notifier.ManagerOfAsync(db, owner, ct))?.Id;
                managers[owner] = manager;
            }
            if (manager is { } m)
                Notifier.Add(db, m, NotificationKinds.RevocationSent, subject + " (a token of your report)", body, link, now);
        }
    }

    private static void Fail(RevocationRequest r, DateTimeOffset now, string error)
    {
        r.State = RevocationState.Failed;
        r.LastError = error.Length > 500 ? error[..500] : error;
        r.NextAttemptAt = now + Backoff(r.Attempts);
    }

    /// <summary>10 s, 20 s, 40 s … up to an hour between attempts.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 10 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 20))));

    public static string PlatformName(TokenPlatform platform) => platform switch
    {
        TokenPlatform.HuggingFace => "Hugging Face",
        TokenPlatform.GitHub => "GitHub",
        _ => platform.ToString(),
    };

    public void Dispose() => _sending.Dispose();
}
