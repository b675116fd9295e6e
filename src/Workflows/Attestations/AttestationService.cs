namespace GovernanceDashboard.Workflows.Attestations;

/// <summary>Attestation campaigns: an Analyst or Admin opens one, each owner answers one task per token (keep, reduce scope,
/// revoke), tokens without an active owner wait in a triage queue. Answers feed the token; every change is audited.</summary>
public sealed class AttestationService(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    private const int MaxComment = 2000;

    public async Task<WorkflowResult<CampaignView>> OpenCampaignAsync(Actor actor, string? name, CampaignScope scope, DateTimeOffset deadline,
        CancellationToken ct = default)
    {
        if (!actor.ManagesInventory) return Refusal.Forbidden("Only an Analyst or an Admin opens a campaign.");
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return Refusal.Invalid("Give the campaign a name (at most 200 characters).");
        if (!Enum.IsDefined(scope)) return Refusal.Invalid("scope must be AllActive or WriteCapableOnly.");

        var opened = await AuditTrail.WithLockAsync(async () =>
        {
            var now = clock.GetUtcNow();
            if (deadline <= now) return (WorkflowResult<int>)Refusal.Invalid("The deadline must be in the future.");
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);

            // One campaign at a time: the newest is "the current campaign" of docs/metrics.md, so an older one still open is closed.
            foreach (var previous in await db.AttestationCampaigns.Where(c => c.ClosedAt == null).ToListAsync(ct))
            {
                previous.ClosedAt = now;
                await AuditTrail.AppendAsync(db, actor.Email, "attestation.campaign.closed", CampaignSubject(previous.Id),
                    after: new { previous.Name, reason = "superseded by a new campaign" }, at: now, ct: ct);
            }

            var candidates = await db.Tokens.AsNoTracking()
                .Where(TokenStatusRule.ActiveAt(now))
                .Where(t => t.FirstSeenAt <= now && (scope == CampaignScope.AllActive || t.WriteCapability == WriteCapability.Write))
                .Select(t => new { t.Id, t.FirstSeenAt, t.RevokedAt, t.ExpiresAt, t.WriteCapability, t.OwnerId, OwnerActive = t.Owner != null && t.Owner.Active })
                .ToListAsync(ct);
            var campaign = new AttestationCampaign { Name = name, Scope = scope, OpenedAt = now, Deadline = deadline, OpenedBy = actor.Email };
            foreach (var t in candidates.Where(t => AttestationRules.InScope(t.FirstSeenAt, t.RevokedAt, t.ExpiresAt, t.WriteCapability, scope, now)))
                campaign.Tasks.Add(new AttestationTask { TokenId = t.Id, OwnerId = AttestationRules.TaskOwner(t.OwnerId, t.OwnerActive) });
            db.AttestationCampaigns.Add(campaign);
            await db.SaveChangesAsync(ct);

            var triage = campaign.Tasks.Count(t => t.OwnerId is null);
            await AuditTrail.AppendAsync(db, actor.Email, "attestation.campaign.opened", CampaignSubject(campaign.Id), after: new
            {
                campaign.Name, scope = scope.ToString(), campaign.Deadline, tasks = campaign.Tasks.Count, triage,
            }, at: now, ct: ct);
            foreach (var owner in campaign.Tasks.Where(t => t.OwnerId is not null).GroupBy(t => t.OwnerId!.Value))
                Notifier.Add(db, owner.Key, NotificationKinds.AttestationOpened, $"Attest {owner.Count()} token(s) by {deadline:yyyy-MM-dd}",
                    $"The campaign \"{name}\" asks you whether each of your {owner.Count()} token(s) is still needed with its scope: keep, reduce scope or revoke, by {deadline:yyyy-MM-dd HH:mm} UTC.",
                    CampaignLink(campaign.Id), now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return WorkflowResult<int>.Ok(campaign.Id);
        }, ct);
        if (!opened.Succeeded) return new WorkflowResult<CampaignView>(opened.Outcome, null, opened.Message);
        return WorkflowResult<CampaignView>.Ok((await GetCampaignAsync(opened.Value, ct))!);
    }

    public async Task<WorkflowResult<CampaignView>> CloseCampaignAsync(Actor actor, int campaignId, CancellationToken ct = default)
    {
        if (!actor.ManagesInventory) return Refusal.Forbidden("Only an Analyst or an Admin closes a campaign.");
        var closed = await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var campaign = await db.AttestationCampaigns.FirstOrDefaultAsync(c => c.Id == campaignId, ct);
            if (campaign is null) return (WorkflowResult<int>)Refusal.NotFound("No such campaign.");
            if (campaign.ClosedAt is not null) return Refusal.Conflict("The campaign is already closed.");
            var now = clock.GetUtcNow();
            campaign.ClosedAt = now;
            await AuditTrail.AppendAsync(db, actor.Email, "attestation.campaign.closed", CampaignSubject(campaign.Id), after: new { campaign.Name }, at: now, ct: ct);
            await db.SaveChangesAsync(ct);
            return WorkflowResult<int>.Ok(campaign.Id);
        }, ct);
        if (!closed.Succeeded) return new WorkflowResult<CampaignView>(closed.Outcome, null, closed.Message);
        return WorkflowResult<CampaignView>.Ok((await GetCampaignAsync(campaignId, ct))!);
    }

    public async Task<IReadOnlyList<CampaignView>> CampaignsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaigns = await db.AttestationCampaigns.AsNoTracking().OrderByDescending(c => c.OpenedAt).ToListAsync(ct);
        var result = new List<CampaignView>();
        foreach (var c in campaigns) result.Add(ViewOf(c, await ProgressAsync(db, c.Id, c.Deadline, clock.GetUtcNow(), ct)));
        return result;
    }

    public async Task<CampaignView?> GetCampaignAsync(int campaignId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.AttestationCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        return c is null ? null : ViewOf(c, await ProgressAsync(db, c.Id, c.Deadline, clock.GetUtcNow(), ct));
    }

    /// <summary>The campaign's figures as of an instant; its completion ratio is docs/metrics.md's (attested before the deadline / due).</summary>
    public async Task<CampaignProgress?> ProgressAsync(int campaignId, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deadline = await db.AttestationCampaigns.Where(c => c.Id == campaignId).Select(c => (DateTimeOffset?)c.Deadline).FirstOrDefaultAsync(ct);
        return deadline is null ? null : await ProgressAsync(db, campaignId, deadline.Value, asOf ?? clock.GetUtcNow(), ct);
    }

    /// <summary>The person's own tasks (in one campaign, or in every open one).</summary>
    public async Task<IReadOnlyList<AttestationTaskView>> MyTasksAsync(Actor actor, int? campaignId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var me = actor.PersonId;
        var query = db.AttestationTasks.Where(t => t.OwnerId == me);
        query = campaignId is { } id ? query.Where(t => t.CampaignId == id) : query.Where(t => t.Campaign!.ClosedAt == null);
        return await TaskViewsAsync(db, query, ct);
    }

    /// <summary>Tasks without an owner, for Analysts and Admins to assign or answer.</summary>
    public async Task<IReadOnlyList<AttestationTaskView>> TriageAsync(Actor actor, int campaignId, CancellationToken ct = default)
    {
        if (!actor.ManagesInventory) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await TaskViewsAsync(db, db.AttestationTasks.Where(t => t.CampaignId == campaignId && t.OwnerId == null), ct);
    }

    /// <summary>Every task of a campaign, for those whose role lets them read reports; nobody else.</summary>
    public async Task<IReadOnlyList<AttestationTaskView>> AllTasksAsync(Actor actor, int campaignId, CancellationToken ct = default)
    {
        if (!actor.ReadsReports) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await TaskViewsAsync(db, db.AttestationTasks.Where(t => t.CampaignId == campaignId), ct);
    }

    /// <summary>The owner answers one task (an Analyst or Admin answers those in the triage queue). Answers are final.</summary>
    public Task<WorkflowResult<int>> AnswerAsync(Actor actor, int taskId, AttestationAnswer answer, string? comment, CancellationToken ct = default)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > MaxComment) return Task.FromResult<WorkflowResult<int>>(Refusal.Invalid($"The comment is limited to {MaxComment} characters."));
        if (AttestationRules.ValidateAnswer(answer, comment) is { } invalid) return Task.FromResult<WorkflowResult<int>>(Refusal.Invalid(invalid));
        return OnTaskAsync(actor, taskId, async (db, task, now) =>
        {
            var triage = task.OwnerId is null;
            if (!(task.OwnerId == actor.PersonId || (triage && actor.ManagesInventory)))
                return actor.ReadsReports ? Refusal.Forbidden("Only the token's owner answers this task.") : Refusal.NotFound("No such task among yours.");
            if (task.Answer != AttestationAnswer.None) return Refusal.Conflict($"This task was already answered ({task.Answer}).");

            task.Answer = answer;
            task.Comment = comment;
            task.AnsweredAt = now;
            task.AnsweredById = actor.PersonId > 0 ? actor.PersonId : null;
            var token = task.Token!;
            var revocationRequested = false;
            if (answer == AttestationAnswer.Revoke && token.RevokedAt is null)
            {
                // "Revoke" opens remediation: the token is flagged until someone records its revocation.
                token.RevocationRequestedAt ??= now;
                revocationRequested = true;
                Notifier.AddMany(db, (await Notifier.AnalystIdsAsync(db, ct)).Where(id => id != actor.PersonId), NotificationKinds.RevocationRequested,
                    $"{actor.Email} asks to revoke {token.Mask}",
                    $"In the campaign \"{task.Campaign!.Name}\", {actor.Email} answered that {token.Mask} should be revoked. {comment}".Trim(), "/exposures", now);
            }
            await AuditTrail.AppendAsync(db, actor.Email, "attestation.answered", WriteScopeService.TokenSubject(task.TokenId),
                new { taskId, campaignId = task.CampaignId, answer = "None" },
                new { taskId, campaignId = task.CampaignId, answer = answer.ToString(), comment, late = now > task.Campaign!.Deadline, triage, revocationRequested },
                now, ct);
            return WorkflowResult<int>.Ok(taskId);
        }, ct);
    }

    /// <summary>An Analyst or Admin gives a triage task (and its token) an owner, who then answers it.</summary>
    public Task<WorkflowResult<int>> AssignOwnerAsync(Actor actor, int taskId, string? ownerEmail, CancellationToken ct = default) =>
        OnTaskAsync(actor, taskId, async (db, task, now) =>
        {
            if (!actor.ManagesInventory) return Refusal.Forbidden("Only an Analyst or an Admin assigns owners.");
            if (task.OwnerId is not null) return Refusal.Conflict("This task already has an owner.");
            var email = Person.NormalizeEmail(ownerEmail ?? "");
            var person = await db.People.FirstOrDefaultAsync(p => p.Email == email && p.Active, ct);
            if (person is null) return Refusal.Invalid("Choose an active person of the directory.");
            var token = task.Token!;
            var before = await db.People.Where(p => p.Id == token.OwnerId).Select(p => p.Email).FirstOrDefaultAsync(ct);
            task.OwnerId = person.Id;
            token.OwnerId = person.Id;
            token.OwnerSource = OwnerSource.Manual;
            token.OwnerConfirmedAt = now;
            token.SuggestedOwnerId = null;
            await AuditTrail.AppendAsync(db, actor.Email, "token.owner.assigned", WriteScopeService.TokenSubject(token.Id),
                new { owner = before }, new { owner = person.Email, source = "Manual", taskId, campaignId = task.CampaignId }, now, ct);
            Notifier.Add(db, person.Id, NotificationKinds.OwnerAssigned, $"You now own the token {token.Mask}",
                $"{actor.Email} made you the owner of {token.Mask}. Attest it in the campaign \"{task.Campaign!.Name}\".", CampaignLink(task.CampaignId), now);
            return WorkflowResult<int>.Ok(taskId);
        }, ct);

    public static string CampaignLink(int campaignId) => FormattableString.Invariant($"/attestations/{campaignId}");

    internal static string CampaignSubject(int campaignId) => FormattableString.Invariant($"campaign:{campaignId}");

    private static CampaignView ViewOf(AttestationCampaign c, CampaignProgress progress) =>
        new(c.Id, c.Name, c.Scope, c.OpenedAt, c.Deadline, c.OpenedBy, c.ClosedAt, progress);

    private static async Task<CampaignProgress> ProgressAsync(GovernanceDbContext db, int campaignId, DateTimeOffset deadline, DateTimeOffset asOf,
        CancellationToken ct)
    {
        var groups = await db.AttestationTasks.Where(t => t.CampaignId == campaignId)
            .GroupBy(t => new
            {
                t.Answer,
                Triage = t.OwnerId == null,
                Answered = t.Answer != AttestationAnswer.None && t.AnsweredAt != null && t.AnsweredAt <= asOf,
                OnTime = t.Answer != AttestationAnswer.None && t.AnsweredAt != null && t.AnsweredAt <= asOf && t.AnsweredAt <= deadline,
            })
            .Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var due = groups.Sum(g => g.Count);
        var answered = groups.Where(g => g.Key.Answered).Sum(g => g.Count);
        var attested = groups.Where(g => g.Key.OnTime).Sum(g => g.Count);
        return new CampaignProgress(due, attested, answered, answered - attested,
            groups.Where(g => g.Key.Triage && !g.Key.Answered).Sum(g => g.Count),
            groups.Where(g => g.Key.Answered && g.Key.Answer == AttestationAnswer.Keep).Sum(g => g.Count),
            groups.Where(g => g.Key.Answered && g.Key.Answer == AttestationAnswer.ReduceScope).Sum(g => g.Count),
            groups.Where(g => g.Key.Answered && g.Key.Answer == AttestationAnswer.Revoke).Sum(g => g.Count));
    }

    private async Task<IReadOnlyList<AttestationTaskView>> TaskViewsAsync(GovernanceDbContext db, IQueryable<AttestationTask> query, CancellationToken ct)
    {
        var grantInForce = GrantInForceRule.InForce(clock.GetUtcNow());
        return await query.AsNoTracking()
            .OrderBy(t => t.Answer != AttestationAnswer.None).ThenBy(t => t.Token!.Mask).Take(2000)
            .Select(t => new AttestationTaskView(t.Id, t.CampaignId, t.TokenId, t.Token!.Mask, t.Token.Platform, t.Token.WriteCapability, t.Token.Organizations,
                t.Token.Scopes, db.People.Where(p => p.Id == t.OwnerId).Select(p => p.Email).FirstOrDefault(), t.Answer, t.Comment, t.AnsweredAt,
                db.People.Where(p => p.Id == t.AnsweredById).Select(p => p.Email).FirstOrDefault(), t.RemindedAt, t.EscalatedAt,
                db.WriteScopeGrants.Where(grantInForce).Any(g => g.TokenId == t.TokenId)))
            .ToListAsync(ct);
    }

    private Task<WorkflowResult<int>> OnTaskAsync(Actor actor, int taskId,
        Func<GovernanceDbContext, AttestationTask, DateTimeOffset, Task<WorkflowResult<int>>> change, CancellationToken ct) =>
        AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var task = await db.AttestationTasks.Include(t => t.Campaign).Include(t => t.Token).FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task is null || !(task.OwnerId == actor.PersonId || actor.ManagesInventory || actor.ReadsReports))
                return Refusal.NotFound("No such task among yours.");
            if (task.Campaign!.ClosedAt is not null) return Refusal.Conflict("The campaign is closed.");
            var result = await change(db, task, clock.GetUtcNow());
            if (result.Succeeded) await db.SaveChangesAsync(ct);
            return result;
        }, ct);
}
