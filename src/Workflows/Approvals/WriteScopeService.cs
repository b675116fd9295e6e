namespace GovernanceDashboard.Workflows.Approvals;

/// <summary>Write-scope requests (signal 2, "write scopes are rare and justified"): an owner asks or declares, approvers decide
/// under separation of duties, an approval makes a time-limited grant. Every change is audited and announced.</summary>
public sealed class WriteScopeService(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    private const int MaxJustification = 2000;
    private const int MaxTargets = 1000;
    private const int MaxComment = 2000;

    public async Task<WorkflowResult<RequestView>> RequestAsync(Actor actor, NewWriteScopeRequest input, CancellationToken ct = default)
    {
        var justification = input.Justification?.Trim() ?? "";
        if (justification.Length == 0) return Refusal.Invalid("A justification is required: say what the write scope is for.");
        if (justification.Length > MaxJustification) return Refusal.Invalid($"The justification is limited to {MaxJustification} characters.");
        var targets = string.IsNullOrWhiteSpace(input.Targets) ? null : input.Targets.Trim();
        if (targets?.Length > MaxTargets) return Refusal.Invalid($"The organisations and repositories are limited to {MaxTargets} characters.");
        if (input.Kind is { } k && !Enum.IsDefined(k)) return Refusal.Invalid("kind must be Request or Declare.");

        var created = await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var settings = await GovernanceSettings.LoadAsync(db, ct);
            if (!ApprovalRules.TryGrantDays(input.Days, settings.DefaultGrantDays, settings.MaxGrantDays, out var days, out var error))
                return (WorkflowResult<int>)Refusal.Invalid(error!);

            var token = await db.Tokens.FirstOrDefaultAsync(t => t.Id == input.TokenId, ct);
            if (token is null || !(token.OwnerId == actor.PersonId || token.SuggestedOwnerId == actor.PersonId || actor.ReadsReports))
                return Refusal.NotFound("No such token among yours.");
            if (token.OwnerId != actor.PersonId)
                return Refusal.Forbidden("Only the token's confirmed owner asks for its write scope.");
            if (token.StatusAt(now, hasOpenExposure: false) is TokenStatus.Revoked or TokenStatus.Expired)
                return Refusal.Conflict("The token is revoked or expired: it needs no write scope.");
            if (await db.WriteScopeRequests.AnyAsync(r => r.TokenId == token.Id && r.Status == RequestStatus.Pending, ct))
                return Refusal.Conflict("A request for this token is already waiting for a decision.");

            var request = new WriteScopeRequest
            {
                TokenId = token.Id, RequesterId = actor.PersonId, Kind = input.Kind ?? ApprovalRules.DefaultKind(token.WriteCapability),
                Justification = justification, Targets = targets ?? token.Organizations, Days = days, Status = RequestStatus.Pending,
                CreatedAt = now,
                RequiredApprovals = ApprovalRules.RequiredApprovals(token.Organizations, settings.CriticalOrganizations, settings.RequireTwoApprovalsForCritical),
            };
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.WriteScopeRequests.Add(request);
            await db.SaveChangesAsync(ct);
            await AuditTrail.AppendAsync(db, actor.Email, "writescope.requested", TokenSubject(token.Id), after: new
            {
                requestId = request.Id, kind = request.Kind.ToString(), request.Justification, request.Targets, request.Days, request.RequiredApprovals,
            }, at: now, ct: ct);
            var approvers = (await Notifier.ApproverIdsAsync(db, ct)).Where(id => id != actor.PersonId);
            Notifier.AddMany(db, approvers, NotificationKinds.RequestPending, $"Write-scope request for {token.Mask} waits for a decision",
                $"{actor.Email} asks for write scope on {token.Mask} for {days} days: {justification}", "/approvals?tab=approve", now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return WorkflowResult<int>.Ok(request.Id);
        }, ct);
        return await ThenViewAsync(created, ct);
    }

    /// <summary>An approver's decision. Exactly one of two simultaneous decisions wins; the other gets a conflict.</summary>
    /// <param name="expectedVersion">The request's version the approver saw; a request changed since then is a conflict.</param>
    public async Task<WorkflowResult<RequestView>> DecideAsync(Actor actor, int requestId, bool approve, string? comment,
        Guid? expectedVersion = null, CancellationToken ct = default)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > MaxComment) return Refusal.Invalid($"The comment is limited to {MaxComment} characters.");

        // Read and checked outside the audit lock on purpose: the version read here is what the save is conditional on,
        // so a decision that lands in between makes this one fail with a concurrency conflict rather than overwrite it.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.WriteScopeRequests.Include(r => r.Token).Include(r => r.Decisions)
            .FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null || !(actor.CanApprove || actor.ReadsReports || request.RequesterId == actor.PersonId || request.Token!.OwnerId == actor.PersonId))
            return Refusal.NotFound("No such write-scope request.");
        var denial = ApprovalRules.WhyNotDecide(actor, request.RequesterId, request.Token!.OwnerId, request.Status, request.Decisions.Select(d => d.DeciderId));
        if (ApprovalRules.RefusalFor(denial, request.Status) is { } refusal) return refusal;
        if (!approve && comment is null) return Refusal.Invalid("Say why in a comment when rejecting a request.");
        if (expectedVersion is { } seen && seen != request.Version)
            return Refusal.Conflict("This request changed since you opened it (another approver decided). Reload to see it.");

        var saved = await AuditTrail.WithLockAsync(async () =>
        {
            var now = clock.GetUtcNow();
            request.Decisions.Add(new WriteScopeDecision { DeciderId = actor.PersonId, Approve = approve, Comment = comment, At = now });
            request.Status = ApprovalRules.OutcomeOf(request.Decisions.OrderBy(d => d.At).Select(d => d.Approve), request.RequiredApprovals);
            request.Version = Guid.NewGuid();
            var kind = "writescope.approval-recorded";
            WriteScopeGrant? grant = null;
            if (request.Status != RequestStatus.Pending)
            {
                request.DecidedAt = now;
                request.DeciderId = actor.PersonId;
                request.DecisionComment = comment;
                kind = request.Status == RequestStatus.Approved ? "writescope.approved" : "writescope.rejected";
            }
            if (request.Status == RequestStatus.Approved)
            {
                grant = new WriteScopeGrant { TokenId = request.TokenId, RequestId = request.Id, ApprovedAt = now, ExpiresAt = now.AddDays(request.Days) };
                db.WriteScopeGrants.Add(grant);
            }
            await AuditTrail.AppendAsync(db, actor.Email, kind, TokenSubject(request.TokenId), before: new { requestId, status = RequestStatus.Pending.ToString() },
                after: new
                {
                    requestId, status = request.Status.ToString(), approve, comment, approvals = request.Decisions.Count(d => d.Approve),
                    request.RequiredApprovals, grantExpiresAt = grant?.ExpiresAt,
                }, at: now, ct: ct);
            AnnounceDecision(db, request, grant, now);
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException)
            {
                // DbUpdateConcurrencyException (the version moved) or the one-decision-per-approver index: someone got there first.
                return false;
            }
        }, ct);
        if (!saved) return Refusal.Conflict("Another decision on this request was saved at the same moment; yours was not. Reload to see the outcome.");
        return await ThenViewAsync(WorkflowResult<int>.Ok(requestId), ct);
    }

    /// <summary>The requester withdraws a request that is still waiting.</summary>
    public async Task<WorkflowResult<RequestView>> CancelAsync(Actor actor, int requestId, CancellationToken ct = default)
    {
        var result = await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var request = await db.WriteScopeRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
            if (request is null || (request.RequesterId != actor.PersonId && !actor.ReadsReports)) return (WorkflowResult<int>)Refusal.NotFound("No such write-scope request.");
            if (request.RequesterId != actor.PersonId) return Refusal.Forbidden("Only the requester withdraws a request.");
            if (request.Status != RequestStatus.Pending) return Refusal.Conflict($"This request was already decided ({request.Status}).");
            var now = clock.GetUtcNow();
            request.Status = RequestStatus.Cancelled;
            request.DecidedAt = now;
            request.Version = Guid.NewGuid();
            await AuditTrail.AppendAsync(db, actor.Email, "writescope.cancelled", TokenSubject(request.TokenId),
                new { requestId, status = "Pending" }, new { requestId, status = "Cancelled" }, now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Refusal.Conflict("The request was decided at the same moment; reload to see the outcome.");
            }
            return WorkflowResult<int>.Ok(requestId);
        }, ct);
        return await ThenViewAsync(result, ct);
    }

    /// <summary>A request as its requester, the token's owner, an approver or a reader of reports may see it; others get nothing.</summary>
    public async Task<RequestView?> GetAsync(Actor actor, int requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seesAll = actor.CanApprove || actor.ReadsReports;
        var me = actor.PersonId;
        var views = await ViewsAsync(db, db.WriteScopeRequests.Where(r => r.Id == requestId
            && (seesAll || r.RequesterId == me || r.Token!.OwnerId == me)), 1, ct);
        return views.Count > 0 ? views[0] : null;
    }

    public async Task<IReadOnlyList<RequestView>> MineAsync(Actor actor, int take = 200, ListSort<RequestSortKey> sort = default,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = actor.PersonId;
        return await ViewsAsync(db, db.WriteScopeRequests.Where(r => r.RequesterId == me), take, ct, sort: sort);
    }

    /// <summary>Pending requests this approver may decide: not their own, not for their tokens, not already approved by them.</summary>
    public async Task<IReadOnlyList<RequestView>> ToApproveAsync(Actor actor, int take = 200, ListSort<RequestSortKey> sort = default,
        CancellationToken ct = default)
    {
        if (!actor.CanApprove) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = actor.PersonId;
        var query = db.WriteScopeRequests.Where(r => r.Status == RequestStatus.Pending && r.RequesterId != me
            && (r.Token!.OwnerId == null || r.Token.OwnerId != me) && !r.Decisions.Any(d => d.DeciderId == me));
        return await ViewsAsync(db, query, take, ct, oldestFirst: true, sort: sort);
    }

    /// <summary>Decided requests: all of them for approvers and readers of reports, one's own (as requester or owner) otherwise.</summary>
    public async Task<IReadOnlyList<RequestView>> HistoryAsync(Actor actor, int take = 300, ListSort<RequestSortKey> sort = default,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = actor.PersonId;
        var seesAll = actor.CanApprove || actor.ReadsReports;
        var query = db.WriteScopeRequests.Where(r => r.Status != RequestStatus.Pending && (seesAll || r.RequesterId == me || r.Token!.OwnerId == me));
        return await ViewsAsync(db, query, take, ct, sort: sort);
    }

    private async Task<WorkflowResult<RequestView>> ThenViewAsync(WorkflowResult<int> result, CancellationToken ct)
    {
        if (!result.Succeeded) return new WorkflowResult<RequestView>(result.Outcome, null, result.Message);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var views = await ViewsAsync(db, db.WriteScopeRequests.Where(r => r.Id == result.Value), 1, ct);
        return WorkflowResult<RequestView>.Ok(views[0]);
    }

    // Statuses are stored by name: order by their place in the enum (Pending, Approved, Rejected, Cancelled), not alphabetically.
    private static readonly System.Linq.Expressions.Expression<Func<WriteScopeRequest, int>> StatusRank = r =>
        r.Status == RequestStatus.Pending ? 0 : r.Status == RequestStatus.Approved ? 1 : r.Status == RequestStatus.Rejected ? 2 : 3;

    /// <summary>In the store, before the take, so a sorted table holds the first rows of the whole order; then newest first
    /// and the id, so equal keys keep one order.</summary>
    private static IQueryable<WriteScopeRequest> Order(IQueryable<WriteScopeRequest> query, ListSort<RequestSortKey> sort)
    {
        var d = sort.Descending;
        if (sort.Key == RequestSortKey.Asked)
            return d ? query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id) : query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id);
        IOrderedQueryable<WriteScopeRequest> ordered = sort.Key switch
        {
            RequestSortKey.Token => d ? query.OrderByDescending(r => r.Token!.Mask) : query.OrderBy(r => r.Token!.Mask),
            RequestSortKey.Requester => d ? query.OrderByDescending(r => r.Requester!.DisplayName) : query.OrderBy(r => r.Requester!.DisplayName),
            RequestSortKey.Days => d ? query.OrderByDescending(r => r.Days) : query.OrderBy(r => r.Days),
            _ => d ? query.OrderByDescending(StatusRank) : query.OrderBy(StatusRank),
        };
        return ordered.ThenByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }

    private static async Task<IReadOnlyList<RequestView>> ViewsAsync(GovernanceDbContext db, IQueryable<WriteScopeRequest> query, int take,
        CancellationToken ct, bool oldestFirst = false, ListSort<RequestSortKey> sort = default)
    {
        query = Order(query, sort.IsDefault ? new ListSort<RequestSortKey>(RequestSortKey.Asked, !oldestFirst) : sort);
        var rows = await query.AsNoTracking().Take(Math.Clamp(take, 1, 1000)).Select(r => new RequestView(
                r.Id, r.TokenId, r.Token!.Mask, r.Token.Platform, r.Token.WriteCapability, r.Token.Organizations,
                r.Requester!.Email, r.Requester.DisplayName, r.Kind, r.Justification, r.Targets, r.Days, r.Status, r.CreatedAt, r.RequiredApprovals,
                Array.Empty<DecisionView>(), r.DecidedAt, r.DecisionComment, r.EscalatedAt,
                db.WriteScopeGrants.Where(g => g.RequestId == r.Id).Select(g => (DateTimeOffset?)g.ExpiresAt).FirstOrDefault(),
                r.Version))
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var decisions = (await db.WriteScopeDecisions.AsNoTracking().Where(d => ids.Contains(d.RequestId))
                .Select(d => new { d.RequestId, d.Decider!.Email, d.Approve, d.Comment, d.At }).ToListAsync(ct))
            .OrderBy(d => d.At).ToLookup(d => d.RequestId, d => new DecisionView(d.Email, d.Approve, d.Comment, d.At));
        return rows.Select(r => r with { Decisions = decisions[r.Id].ToList() }).ToList();
    }

    private static void AnnounceDecision(GovernanceDbContext db, WriteScopeRequest request, WriteScopeGrant? grant, DateTimeOffset now)
    {
        if (request.Status == RequestStatus.Pending) return;
        var mask = request.Token!.Mask;
        var (subject, body) = request.Status == RequestStatus.Approved
            ? ($"Write scope on {mask} approved", $"Your write-scope request for {mask} was approved until {grant!.ExpiresAt:yyyy-MM-dd}. {request.DecisionComment}")
            : ($"Write scope on {mask} rejected", $"Your write-scope request for {mask} was rejected: {request.DecisionComment}");
        var recipients = new[] { request.RequesterId, request.Token.OwnerId ?? request.RequesterId };
        Notifier.AddMany(db, recipients, NotificationKinds.RequestDecided, subject, body.Trim(), "/approvals", now);
    }

    internal static string TokenSubject(int tokenId) => FormattableString.Invariant($"token:{tokenId}");
}
