namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>A note an analyst left on an exposure; notes live in the audit trail (append-only, hash-chained), as an auditor expects.</summary>
public sealed record ExposureNoteView(long EventId, int ExposureId, string Author, DateTimeOffset At, string Text);

/// <summary>Triage by Analysts and Admins: owners, dismissals, reopening, revocations recorded by hand, notes. Each action is audited and
/// written to the Tokens and Exposures tables, whose change-log triggers bring it into the metrics at once. A bulk action changes all of
/// its rows or, when one is refused, none.</summary>
public sealed class TriageService(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    public const string NoteKind = "exposure.note";

    /// <summary>The most rows one bulk action takes (also keeps the IN list within SQLite's parameter limit).</summary>
    public const int MaxBulk = 500;

    /// <summary>Gives tokens a confirmed owner (a person's choice, which owners-csv rules do not override); the new owner is told.</summary>
    public Task<WorkflowResult<int>> AssignOwnerAsync(Actor actor, IReadOnlyCollection<int> tokenIds, string? email, CancellationToken ct = default) =>
        InLockAsync(actor, async (db, now) =>
        {
            if (Bulk(tokenIds) is { } bad) return bad;
            var normalized = Person.NormalizeEmail(email ?? "");
            var person = await db.People.FirstOrDefaultAsync(p => p.Email == normalized && p.Active, ct);
            if (person is null) return Refusal.Invalid("Choose an active person of the directory.");
            var ids = tokenIds.Distinct().ToList();
            var tokens = await db.Tokens.Include(t => t.Owner).Where(t => ids.Contains(t.Id)).ToListAsync(ct);
            if (tokens.Count != ids.Count) return Refusal.NotFound($"No token {ids.Except(tokens.Select(t => t.Id)).First()}.");
            var changed = new List<Token>();
            foreach (var token in tokens.Where(t => t.OwnerId != person.Id || t.OwnerConfirmedAt is null))
            {
                var before = new { owner = token.Owner?.Email, source = token.OwnerSource.ToString() };
                token.OwnerId = person.Id;
                token.OwnerSource = OwnerSource.Manual;
                token.OwnerConfirmedAt = now;
                token.SuggestedOwnerId = null;
                await OwnershipService.HandOpenTasksAsync(db, token.Id, person.Id, ct);
                await AuditTrail.AppendAsync(db, actor.Email, "token.owner.assigned", WriteScopeService.TokenSubject(token.Id),
                    before, new { owner = person.Email, source = "Manual" }, now, ct);
                changed.Add(token);
            }
            if (changed.Count == 1)
                Notifier.Add(db, person.Id, NotificationKinds.OwnerAssigned, $"You now own the token {changed[0].Mask}",
                    $"{actor.Email} made you the owner of {changed[0].Mask}. Look after it on My tokens: revoke it if it is not needed, justify its write scope if it is.",
                    "/my-tokens", now);
            else if (changed.Count > 1)
                Notifier.Add(db, person.Id, NotificationKinds.OwnerAssigned, $"You now own {changed.Count} tokens",
                    $"{actor.Email} made you the owner of {string.Join(", ", changed.Take(20).Select(t => t.Mask))}{(changed.Count > 20 ? ", …" : "")}. " +
                    "Look after them on My tokens.", "/my-tokens", now);
            return WorkflowResult<int>.Ok(changed.Count);
        }, ct);

    /// <summary>Closes open exposures as dismissed (excluded from time to remediate); a risk accepted reopens by itself at its expiry.</summary>
    public Task<WorkflowResult<int>> DismissAsync(Actor actor, IReadOnlyCollection<int> exposureIds, string? reason, DateTimeOffset? until, string? note,
        CancellationToken ct = default) =>
        InLockAsync(actor, async (db, now) =>
        {
            if (Bulk(exposureIds) is { } bad) return bad;
            reason = reason?.Trim().ToLowerInvariant();
            note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
            if ((TriageRules.ValidateDismissal(reason, until, now) ?? TriageRules.ValidateNote(note)) is { } invalid) return Refusal.Invalid(invalid);
            var exposures = await LoadExposuresAsync(db, exposureIds, ct);
            if (exposures.Refusal is { } missing) return missing;
            if (exposures.Rows.FirstOrDefault(e => e.State != ExposureState.Open) is { } closed)
                return Refusal.Conflict($"Exposure {closed.Id} is already {closed.State.ToString().ToLowerInvariant()}; only open exposures are dismissed.");
            foreach (var exposure in exposures.Rows)
            {
                TriageRules.Dismiss(exposure, reason!, until, now);
                await AuditTrail.AppendAsync(db, actor.Email, "exposure.dismissed", WriteScopeService.TokenSubject(exposure.TokenId),
                    new { exposureId = exposure.Id, state = "Open" },
                    new { exposureId = exposure.Id, state = "Dismissed", reason, until = exposure.DismissedUntil, note, escrow = "erased" }, now, ct);
            }
            await SyncTokenStatusAsync(db, exposures.Rows, now, ct);
            return WorkflowResult<int>.Ok(exposures.Rows.Count);
        }, ct);

    /// <summary>Opens a dismissed exposure again (its clock runs from its detection, as before). The escrowed secret does not come back.</summary>
    public Task<WorkflowResult<int>> ReopenAsync(Actor actor, int exposureId, CancellationToken ct = default) =>
        InLockAsync(actor, async (db, now) =>
        {
            var exposure = await db.Exposures.Include(e => e.Token).FirstOrDefaultAsync(e => e.Id == exposureId, ct);
            if (exposure is null) return Refusal.NotFound($"No exposure {exposureId}.");
            return await ReopenAsync(db, exposure, actor.Email, "exposure.reopened", now, ct) is { } refusal
                ? refusal
                : WorkflowResult<int>.Ok(exposure.Id);
        }, ct);

    /// <summary>Reopens one exposure in the caller's context and audits it; returns the refusal when it cannot be reopened.</summary>
    internal static async Task<Refusal?> ReopenAsync(GovernanceDbContext db, Exposure exposure, string actor, string kind, DateTimeOffset now, CancellationToken ct)
    {
        var token = exposure.Token!;
        var anotherOpen = await db.Exposures.AnyAsync(e => e.TokenId == token.Id && e.Id != exposure.Id && e.State == ExposureState.Open, ct);
        if (TriageRules.CannotReopen(exposure, token, anotherOpen) is { } why) return Refusal.Conflict(why);
        var before = new { exposureId = exposure.Id, state = "Dismissed", reason = exposure.DismissalReason, exposure.DismissedAt, until = exposure.DismissedUntil };
        TriageRules.Reopen(exposure);
        token.Status = token.StatusAt(now, hasOpenExposure: true);
        await AuditTrail.AppendAsync(db, actor, kind, WriteScopeService.TokenSubject(token.Id),
            before, new { exposureId = exposure.Id, state = "Open", escrow = "erased when it was dismissed; not restored" }, now, ct);
        return null;
    }

    /// <summary>Records a revocation or rotation done by hand (on the platform) at a given time: the same rule as the owner's record.</summary>
    public Task<WorkflowResult<int>> RecordRevocationAsync(Actor actor, int tokenId, RevocationKind kind, DateTimeOffset at, CancellationToken ct = default) =>
        InLockAsync(actor, async (db, now) =>
        {
            var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == tokenId, ct);
            if (token is null) return Refusal.NotFound($"No token {tokenId}.");
            if (!Enum.IsDefined(kind)) return Refusal.Invalid("kind must be Revoked or Rotated.");
            if (RevocationRules.Validate(at, now) is { } error) return Refusal.Invalid(error);
            var before = new { token.RevokedAt, token.RevocationNote, status = token.Status.ToString() };
            var exposures = await db.Exposures.Where(e => e.TokenId == token.Id && e.State != ExposureState.Dismissed).ToListAsync(ct);
            var changed = RevocationRules.Apply(token, exposures, at, RevocationRules.NoteFor(kind, byOwner: false), actor.Email);
            await AuditTrail.AppendAsync(db, actor.Email, kind == RevocationKind.Rotated ? "token.rotated" : "token.revoked", WriteScopeService.TokenSubject(token.Id),
                before, new { token.RevokedAt, token.RevocationNote, status = token.Status.ToString(), recordedAt = at, exposuresRemediated = changed }, now, ct);
            return WorkflowResult<int>.Ok(token.Id);
        }, ct);

    /// <summary>Adds a note to an exposure, as an audit event on its token.</summary>
    public Task<WorkflowResult<int>> AddNoteAsync(Actor actor, int exposureId, string? text, CancellationToken ct = default) =>
        InLockAsync(actor, async (db, now) =>
        {
            text = text?.Trim();
            if (string.IsNullOrEmpty(text)) return Refusal.Invalid("The note is empty.");
            if (TriageRules.ValidateNote(text) is { } invalid) return Refusal.Invalid(invalid);
            var tokenId = await db.Exposures.Where(e => e.Id == exposureId).Select(e => (int?)e.TokenId).FirstOrDefaultAsync(ct);
            if (tokenId is null) return Refusal.NotFound($"No exposure {exposureId}.");
            var evt = await AuditTrail.AppendAsync(db, actor.Email, NoteKind, WriteScopeService.TokenSubject(tokenId.Value),
                after: new NoteBody(exposureId, text), at: now, ct: ct);
            return WorkflowResult<int>.Ok((int)evt.Id);
        }, ct);

    /// <summary>The notes on a token's exposures, newest first.</summary>
    public async Task<IReadOnlyList<ExposureNoteView>> NotesAsync(int tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subject = WriteScopeService.TokenSubject(tokenId);
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject && e.Kind == NoteKind).OrderByDescending(e => e.Id)
            .Take(500).ToListAsync(ct);
        return events.Select(e => (e, body: System.Text.Json.JsonSerializer.Deserialize<NoteBody>(e.After ?? "null", NoteJson)))
            .Where(x => x.body is not null)
            .Select(x => new ExposureNoteView(x.e.Id, x.body!.ExposureId, x.e.Actor, x.e.At, x.body.Note)).ToList();
    }

    private sealed record NoteBody(int ExposureId, string Note);

    private static readonly System.Text.Json.JsonSerializerOptions NoteJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static Refusal? Bulk(IReadOnlyCollection<int> ids) =>
        ids.Count == 0 ? Refusal.Invalid("Select at least one row.") :
        ids.Count > MaxBulk ? Refusal.Invalid($"At most {MaxBulk} rows at a time.") : null;

    private static async Task<(List<Exposure> Rows, Refusal? Refusal)> LoadExposuresAsync(GovernanceDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        var rows = await db.Exposures.Where(e => distinct.Contains(e.Id)).OrderBy(e => e.Id).ToListAsync(ct);
        return rows.Count == distinct.Count ? (rows, null) : (rows, Refusal.NotFound($"No exposure {distinct.Except(rows.Select(e => e.Id)).First()}."));
    }

    /// <summary>Keeps the tokens' stored status in step with their exposures (Exposed while one is open).</summary>
    private static async Task SyncTokenStatusAsync(GovernanceDbContext db, IReadOnlyList<Exposure> changed, DateTimeOffset now, CancellationToken ct)
    {
        var tokenIds = changed.Select(e => e.TokenId).Distinct().ToList();
        var changedIds = changed.Select(e => e.Id).ToList();
        var stillOpen = (await db.Exposures.Where(e => tokenIds.Contains(e.TokenId) && e.State == ExposureState.Open && !changedIds.Contains(e.Id))
            .Select(e => e.TokenId).ToListAsync(ct)).ToHashSet();
        foreach (var token in await db.Tokens.Where(t => tokenIds.Contains(t.Id)).ToListAsync(ct))
            token.Status = token.StatusAt(now, stillOpen.Contains(token.Id) || changed.Any(e => e.TokenId == token.Id && e.State == ExposureState.Open));
    }

    /// <summary>Only Analysts and Admins triage; runs the change under the audit lock in one transaction, saved only when it succeeded.</summary>
    private async Task<WorkflowResult<int>> InLockAsync(Actor actor, Func<GovernanceDbContext, DateTimeOffset, Task<WorkflowResult<int>>> change,
        CancellationToken ct)
    {
        if (!actor.ManagesInventory) return Refusal.Forbidden("Only an Analyst or an Admin triages exposures.");
        return await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var result = await change(db, clock.GetUtcNow());
            if (result.Succeeded) await db.SaveChangesAsync(ct);
            return result;
        }, ct);
    }
}
