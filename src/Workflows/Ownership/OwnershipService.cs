namespace GovernanceDashboard.Workflows.Ownership;

/// <summary>Owner self-service: the tokens a person owns or is suggested, accepting or declining a suggestion, handing a token
/// to someone else, and recording its revocation or rotation. A person only ever reaches their own tokens here.</summary>
public sealed class OwnershipService(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    private const int MaxMessage = 1000;

    public async Task<IReadOnlyList<MyTokenView>> MyTokensAsync(Actor actor, CancellationToken ct = default)
    {
        var me = actor.PersonId;
        var now = clock.GetUtcNow();
        var grantInForce = GrantInForceRule.InForce(now);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = await db.Tokens.AsNoTracking()
            .Where(t => t.OwnerId == me || (t.OwnerId == null && t.SuggestedOwnerId == me))
            .OrderByDescending(t => t.OwnerId == me).ThenBy(t => t.Status).ThenByDescending(t => t.LastSeenAt)
            .Select(t => new MyTokenView(
                t.Id, t.Mask, t.Platform, t.Kind,
                t.Status,
                t.WriteCapability, t.Account, t.Organizations, t.Scopes,
                t.OwnerId == me, t.OwnerId == null && t.SuggestedOwnerId == me, t.FirstSeenAt, t.LastSeenAt, t.ExpiresAt, t.RevokedAt,
                t.RevocationNote, t.RevocationRequestedAt,
                t.Exposures.Count(e => e.State == ExposureState.Open),
                db.WriteScopeGrants.Where(grantInForce).Where(g => g.TokenId == t.Id)
                    .OrderByDescending(g => g.ExpiresAt).Select(g => (DateTimeOffset?)g.ExpiresAt).FirstOrDefault(),
                db.WriteScopeRequests.Where(r => r.TokenId == t.Id && r.Status == RequestStatus.Pending).Select(r => (int?)r.Id).FirstOrDefault(),
                db.OwnershipTransfers.Where(x => x.TokenId == t.Id && x.Status == TransferStatus.Pending).Select(x => x.ToPerson!.Email).FirstOrDefault()))
            .ToListAsync(ct);
        // As of now (docs/metrics.md): an expiry that passed makes the token Expired, whatever the stored column says.
        return [.. mine.Select(v => v with
        {
            Status = TokenStatusRule.At(v.RevokedAt ?? DateTimeOffset.MaxValue, v.ExpiresAt ?? DateTimeOffset.MaxValue, now, exposed: v.OpenExposures > 0),
        })];
    }

    /// <summary>Pending transfers to this person (to accept) and from them (to cancel).</summary>
    public async Task<(IReadOnlyList<TransferView> Incoming, IReadOnlyList<TransferView> Outgoing)> MyTransfersAsync(Actor actor, CancellationToken ct = default)
    {
        var me = actor.PersonId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.OwnershipTransfers.AsNoTracking()
            .Where(x => x.Status == TransferStatus.Pending && (x.ToPersonId == me || x.FromPersonId == me))
            .OrderByDescending(x => x.RequestedAt)
            .Select(x => new
            {
                x.FromPersonId,
                View = new TransferView(x.Id, x.TokenId, x.Token!.Mask, db.People.Where(p => p.Id == x.FromPersonId).Select(p => p.Email).First(),
                    x.ToPerson!.Email, x.Message, x.Status, x.RequestedAt),
            })
            .ToListAsync(ct);
        return (rows.Where(r => r.FromPersonId != me).Select(r => r.View).ToList(), rows.Where(r => r.FromPersonId == me).Select(r => r.View).ToList());
    }

    /// <summary>The exposures of a token its owner (or suggested owner) may see; null when the token is not theirs to see.</summary>
    public async Task<IReadOnlyList<TokenExposureView>?> ExposuresAsync(Actor actor, int tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await CanSeeAsync(db, actor, tokenId, ct)) return null;
        var exposures = await db.Exposures.AsNoTracking().Where(e => e.TokenId == tokenId).OrderByDescending(e => e.DetectedAt).ToListAsync(ct);
        var places = (await db.Occurrences.AsNoTracking().Where(o => o.TokenId == tokenId).OrderBy(o => o.DetectedAt)
                .Select(o => new { o.Repository, o.File, o.Line }).Take(200).ToListAsync(ct))
            .Select(o => $"{o.Repository} {o.File}{(o.Line is { } l ? ":" + l.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}".Trim())
            .Distinct().ToList();
        return exposures.Select(e => new TokenExposureView(e.Id, e.DetectedAt, e.Severity, e.State, e.RemediatedAt, e.RemediatedBy, e.DismissedAt,
            e.DismissalReason, places)).ToList();
    }

    public async Task<IReadOnlyList<PersonChoice>> PeopleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.People.AsNoTracking().Where(p => p.Active).OrderBy(p => p.DisplayName)
            .Select(p => new PersonChoice(p.Id, p.Email, p.DisplayName, p.Team)).ToListAsync(ct);
    }

    /// <summary>The suggested owner confirms: the token becomes theirs (a person's choice, which owners-csv rules do not override).</summary>
    public Task<WorkflowResult<int>> AcceptSuggestionAsync(Actor actor, int tokenId, CancellationToken ct = default) =>
        OnTokenAsync(tokenId, async (db, token, now) =>
        {
            if (token.SuggestedOwnerId != actor.PersonId) return NotYours();
            if (token.OwnerId is not null) return Refusal.Conflict("Someone else already owns this token.");
            token.OwnerId = actor.PersonId;
            token.OwnerSource = OwnerSource.Manual;
            token.OwnerConfirmedAt = now;
            token.SuggestedOwnerId = null;
            await HandOpenTasksAsync(db, token.Id, actor.PersonId, ct);
            await AuditTrail.AppendAsync(db, actor.Email, "token.owner.accepted", WriteScopeService.TokenSubject(token.Id),
                new { owner = (string?)null, suggested = actor.Email }, new { owner = actor.Email, source = "Manual" }, now, ct);
            return WorkflowResult<int>.Ok(token.Id);
        }, ct);

    public Task<WorkflowResult<int>> DeclineSuggestionAsync(Actor actor, int tokenId, CancellationToken ct = default) =>
        OnTokenAsync(tokenId, async (db, token, now) =>
        {
            if (token.SuggestedOwnerId != actor.PersonId) return NotYours();
            token.SuggestedOwnerId = null;
            await AuditTrail.AppendAsync(db, actor.Email, "token.owner.declined", WriteScopeService.TokenSubject(token.Id),
                new { suggested = actor.Email }, new { suggested = (string?)null }, now, ct);
            return WorkflowResult<int>.Ok(token.Id);
        }, ct);

    /// <summary>The owner offers the token to another active person, who accepts or declines.</summary>
    public Task<WorkflowResult<int>> OfferTransferAsync(Actor actor, int tokenId, string? toEmail, string? message, CancellationToken ct = default) =>
        OnTokenAsync(tokenId, async (db, token, now) =>
        {
            if (token.OwnerId != actor.PersonId) return NotYours();
            message = string.IsNullOrWhiteSpace(message) ? null : message.Trim();
            if (message?.Length > MaxMessage) return Refusal.Invalid($"The message is limited to {MaxMessage} characters.");
            var email = Person.NormalizeEmail(toEmail ?? "");
            var to = await db.People.FirstOrDefaultAsync(p => p.Email == email && p.Active, ct);
            if (to is null) return Refusal.Invalid("Hand the token to an active person of the directory.");
            if (to.Id == actor.PersonId) return Refusal.Invalid("You already own this token.");
            if (await db.OwnershipTransfers.AnyAsync(x => x.TokenId == token.Id && x.Status == TransferStatus.Pending, ct))
                return Refusal.Conflict("A hand-over of this token is already waiting for an answer.");
            var transfer = new OwnershipTransfer
            {
                TokenId = token.Id, FromPersonId = actor.PersonId, ToPersonId = to.Id, Message = message, Status = TransferStatus.Pending, RequestedAt = now,
            };
            db.OwnershipTransfers.Add(transfer);
            await db.SaveChangesAsync(ct);
            await AuditTrail.AppendAsync(db, actor.Email, "token.transfer.offered", WriteScopeService.TokenSubject(token.Id),
                after: new { transferId = transfer.Id, from = actor.Email, to = to.Email, message }, at: now, ct: ct);
            Notifier.Add(db, to.Id, NotificationKinds.TransferOffered, $"{actor.Email} hands you the token {token.Mask}",
                $"{actor.Email} asks you to become the owner of {token.Mask}. {message} Accept or decline on My tokens.".Trim(), "/my-tokens", now);
            return WorkflowResult<int>.Ok(transfer.Id);
        }, ct, transaction: true);

    /// <summary>The receiver accepts (the token becomes theirs) or declines (it stays with the giver).</summary>
    public Task<WorkflowResult<int>> AnswerTransferAsync(Actor actor, int transferId, bool accept, CancellationToken ct = default) =>
        OnTransferAsync(transferId, async (db, transfer, now) =>
        {
            if (transfer.ToPersonId != actor.PersonId) return Refusal.NotFound("No such hand-over addressed to you.");
            var token = transfer.Token!;
            if (accept && token.OwnerId != transfer.FromPersonId)
            {
                transfer.Status = TransferStatus.Cancelled;
                transfer.DecidedAt = now;
                await AuditTrail.AppendAsync(db, actor.Email, "token.transfer.voided", WriteScopeService.TokenSubject(token.Id),
                    after: new { transferId, reason = "the giver no longer owns the token" }, at: now, ct: ct);
                return Refusal.Conflict("The person who offered this token no longer owns it; the hand-over is void.");
            }
            transfer.Status = accept ? TransferStatus.Accepted : TransferStatus.Declined;
            transfer.DecidedAt = now;
            var from = await db.People.Where(p => p.Id == transfer.FromPersonId).Select(p => p.Email).FirstAsync(ct);
            if (accept)
            {
                token.OwnerId = actor.PersonId;
                token.OwnerSource = OwnerSource.Manual;
                token.OwnerConfirmedAt = now;
                token.SuggestedOwnerId = null;
                await HandOpenTasksAsync(db, token.Id, actor.PersonId, ct);
                // The giver's waiting request spoke for the giver; the new owner asks again if they need write scope.
                foreach (var pending in await db.WriteScopeRequests.Where(r => r.TokenId == token.Id && r.Status == RequestStatus.Pending).ToListAsync(ct))
                {
                    pending.Status = RequestStatus.Cancelled;
                    pending.DecidedAt = now;
                    pending.Version = Guid.NewGuid();
                    await AuditTrail.AppendAsync(db, actor.Email, "writescope.cancelled", WriteScopeService.TokenSubject(token.Id),
                        new { requestId = pending.Id, status = "Pending" }, new { requestId = pending.Id, status = "Cancelled", reason = "token handed over" }, now, ct);
                }
            }
            await AuditTrail.AppendAsync(db, actor.Email, accept ? "token.transfer.accepted" : "token.transfer.declined", WriteScopeService.TokenSubject(token.Id),
                new { transferId, owner = from }, new { transferId, owner = accept ? actor.Email : from }, now, ct);
            Notifier.Add(db, transfer.FromPersonId, NotificationKinds.TransferDecided,
                $"{actor.Email} {(accept ? "accepted" : "declined")} the token {token.Mask}",
                accept ? $"{actor.Email} is now the owner of {token.Mask}." : $"{actor.Email} declined {token.Mask}; it is still yours.", "/my-tokens", now);
            return WorkflowResult<int>.Ok(transferId);
        }, ct);

    public Task<WorkflowResult<int>> CancelTransferAsync(Actor actor, int transferId, CancellationToken ct = default) =>
        OnTransferAsync(transferId, async (db, transfer, now) =>
        {
            if (transfer.FromPersonId != actor.PersonId) return Refusal.NotFound("No such hand-over of yours.");
            transfer.Status = TransferStatus.Cancelled;
            transfer.DecidedAt = now;
            await AuditTrail.AppendAsync(db, actor.Email, "token.transfer.cancelled", WriteScopeService.TokenSubject(transfer.TokenId),
                after: new { transferId }, at: now, ct: ct);
            return WorkflowResult<int>.Ok(transferId);
        }, ct);

    /// <summary>The owner records that the token was revoked or rotated at a given time: the token is Revoked from then, and its
    /// open exposures are remediated at that time (never before their detection), as docs/metrics.md dates remediation.</summary>
    public Task<WorkflowResult<int>> RecordRevocationAsync(Actor actor, int tokenId, RevocationKind kind, DateTimeOffset at, CancellationToken ct = default) =>
        OnTokenAsync(tokenId, async (db, token, now) =>
        {
            if (token.OwnerId != actor.PersonId && !actor.ManagesInventory) return NotYours();
            if (!Enum.IsDefined(kind)) return Refusal.Invalid("kind must be Revoked or Rotated.");
            if (RevocationRules.Validate(at, now) is { } error) return Refusal.Invalid(error);
            var before = new { token.RevokedAt, token.RevocationNote, status = token.Status.ToString() };
            var exposures = await db.Exposures.Where(e => e.TokenId == token.Id && e.State != ExposureState.Dismissed).ToListAsync(ct);
            var changed = RevocationRules.Apply(token, exposures, at, RevocationRules.NoteFor(kind), actor.Email);
            await AuditTrail.AppendAsync(db, actor.Email, kind == RevocationKind.Rotated ? "token.rotated" : "token.revoked", WriteScopeService.TokenSubject(token.Id),
                before, new { token.RevokedAt, token.RevocationNote, status = token.Status.ToString(), recordedAt = at, exposuresRemediated = changed }, now, ct);
            return WorkflowResult<int>.Ok(token.Id);
        }, ct);

    /// <summary>Unanswered attestation tasks of open campaigns follow the token to its new owner.</summary>
    internal static async Task HandOpenTasksAsync(GovernanceDbContext db, int tokenId, int newOwnerId, CancellationToken ct)
    {
        foreach (var task in await db.AttestationTasks.Where(t => t.TokenId == tokenId && t.Answer == AttestationAnswer.None && t.Campaign!.ClosedAt == null).ToListAsync(ct))
            task.OwnerId = newOwnerId;
    }

    private static Refusal NotYours() => Refusal.NotFound("No such token among yours.");

    private static async Task<bool> CanSeeAsync(GovernanceDbContext db, Actor actor, int tokenId, CancellationToken ct) =>
        actor.ReadsReports
            ? await db.Tokens.AnyAsync(t => t.Id == tokenId, ct)
            : await db.Tokens.AnyAsync(t => t.Id == tokenId && (t.OwnerId == actor.PersonId || (t.OwnerId == null && t.SuggestedOwnerId == actor.PersonId)), ct);

    private Task<WorkflowResult<int>> OnTokenAsync(int tokenId,
        Func<GovernanceDbContext, Token, DateTimeOffset, Task<WorkflowResult<int>>> change, CancellationToken ct, bool transaction = false) =>
        InLockAsync(async (db, now) =>
        {
            var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == tokenId, ct);
            return token is null ? NotYours() : await change(db, token, now);
        }, transaction, ct);

    private Task<WorkflowResult<int>> OnTransferAsync(int transferId,
        Func<GovernanceDbContext, OwnershipTransfer, DateTimeOffset, Task<WorkflowResult<int>>> change, CancellationToken ct) =>
        InLockAsync(async (db, now) =>
        {
            var transfer = await db.OwnershipTransfers.Include(x => x.Token).FirstOrDefaultAsync(x => x.Id == transferId, ct);
            if (transfer is null) return Refusal.NotFound("No such hand-over.");
            if (transfer.Status != TransferStatus.Pending) return Refusal.Conflict($"This hand-over was already answered ({transfer.Status}).");
            return await change(db, transfer, now);
        }, transaction: false, ct);

    /// <summary>Runs a change under the audit lock and saves it with its audit events only when it succeeded.</summary>
    private async Task<WorkflowResult<int>> InLockAsync(Func<GovernanceDbContext, DateTimeOffset, Task<WorkflowResult<int>>> change,
        bool transaction, CancellationToken ct) =>
        await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = transaction ? await db.Database.BeginTransactionAsync(ct) : null;
            var result = await change(db, clock.GetUtcNow());
            // A refusal may still record why (a voided hand-over); anything else it touched is not saved.
            if (!result.Succeeded && !db.ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added)) return result;
            await db.SaveChangesAsync(ct);
            if (tx is not null) await tx.CommitAsync(ct);
            return result;
        }, ct);
}
