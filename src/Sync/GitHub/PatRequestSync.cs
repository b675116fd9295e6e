using System.Net;

namespace GovernanceDashboard.Sync.GitHub;

/// <summary>What the request part of an organisation's sync did.</summary>
public sealed record PatRequestSyncResult(int Pages, int Pending, int New, int Queued, int AutoApproved, int Unmapped, int Closed);

/// <summary>GitHub's fine-grained PAT requests (<c>GET /orgs/{org}/personal-access-token-requests</c>) in our write-scope approval
/// queue, and our decisions back to GitHub (<c>POST /orgs/{org}/personal-access-token-requests/{id}</c>).</summary>
/// <remarks>A request that asks for write becomes a <see cref="WriteScopeRequest"/> of the requester (the person whose
/// <c>github_login</c> is its owner) through <see cref="WriteScopeService"/>: separation of duties, two approvers for critical
/// organisations, notifications and audit are that service's. A read-only request is approved automatically when
/// <c>GitHub:AutoApproveReadOnlyRequests</c> is true, and otherwise left to the organisation's owners on GitHub.
/// The decision is an outbox row (<see cref="GitHubPatRequest"/>): fixed when our request is decided, claimed with a lease, sent,
/// and marked sent, so a restart loses none; GitHub answering 404/422 for a request it no longer holds ends it, so a decision
/// re-sent after a crash between GitHub's answer and our mark changes nothing.</remarks>
public sealed class PatRequestSync(OrgTokenReader reader, WriteScopeService writeScopes, IDbContextFactory<GovernanceDbContext> dbFactory,
    SecretProtector secrets, IConfiguration configuration, TimeProvider clock, ILogger<PatRequestSync> log)
{
    public const string Approve = "approve";
    public const string Deny = "deny";

    /// <summary>How long a claimed decision is held before another round may take it: longer than one call with its retries.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private bool AutoApproveReadOnly => configuration.GetValue("GitHub:AutoApproveReadOnlyRequests", false);

    public async Task<PatRequestSyncResult> SyncAsync(string org, CancellationToken ct)
    {
        var read = (await reader.ReadAllAsync(org, $"orgs/{OrgTokenReader.Org(org)}/personal-access-token-requests",
            OrgTokenRecords.Requests, "fine-grained personal access token requests", ct))!.Value;
        var (added, autoApproved, closed) = await AuditTrail.WithLockAsync(() => RecordAsync(org, read.Items, ct), ct);
        var (queued, unmapped) = await EnqueueForApprovalAsync(org, ct);
        return new PatRequestSyncResult(read.Pages, read.Items.Count, added, queued, autoApproved, unmapped, closed);
    }

    private async Task<(int Added, int AutoApproved, int Closed)> RecordAsync(string org, List<PatRequestRecord> requests, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var people = await OrgTokenNames.PeopleByLoginAsync(db, ct);
        var ids = requests.Select(r => r.Id).ToList();
        var known = await db.GitHubPatRequests.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        int added = 0, auto = 0, closed = 0;
        foreach (var request in requests.DistinctBy(r => r.Id))
        {
            if (known.TryGetValue(request.Id, out var row))
            {
                row.SeenAt = now;
                continue;
            }
            var token = await OrgTokenNames.FindOrCreateAsync(db, secrets, org, request.TokenId, request.TokenName, request.OwnerLogin, request.CreatedAt ?? now, ct);
            token.ExpiresAt ??= request.ExpiresAt;
            OrgTokenNames.MapOwner(token, people, request.OwnerLogin, now);
            await db.SaveChangesAsync(ct);
            var asksWrite = WriteScopes.ForGitHubFineGrained(request.Permissions.Levels) == WriteCapability.Write;
            row = new GitHubPatRequest
            {
                Id = request.Id, Organization = org, GitHubTokenId = request.TokenId, TokenId = token.Id, OwnerLogin = request.OwnerLogin,
                Permissions = request.Permissions.Json, AsksWrite = asksWrite, CreatedAt = request.CreatedAt, SeenAt = now,
                Reason = Cut(request.Reason, 1024), State = PatRequestState.Waiting,
            };
            db.GitHubPatRequests.Add(row);
            added++;
            if (!asksWrite && AutoApproveReadOnly)
            {
                row.State = PatRequestState.Queued;
                row.Action = Approve;
                row.Reason = "Read-only access: approved automatically (GitHub:AutoApproveReadOnlyRequests).";
                row.NextAttemptAt = now;
                auto++;
                await AuditTrail.AppendAsync(db, OrgTokenNames.Actor, "github-org.request.auto-approved", WriteScopeService.TokenSubject(token.Id),
                    after: new { org, requestId = request.Id, owner = request.OwnerLogin, permissions = request.Permissions.Scopes }, at: now, ct: ct);
            }
        }
        // Requests GitHub no longer lists were decided or withdrawn there: nothing to send, and our pending copy is closed.
        var gone = await db.GitHubPatRequests.Include(r => r.WriteScopeRequest)
            .Where(r => r.Organization == org && r.State == PatRequestState.Waiting && !ids.Contains(r.Id)).ToListAsync(ct);
        foreach (var row in gone)
        {
            row.State = PatRequestState.Closed;
            closed++;
            if (row.WriteScopeRequest is { Status: RequestStatus.Pending } ours)
            {
                ours.Status = RequestStatus.Cancelled;
                ours.DecidedAt = now;
                ours.Version = Guid.NewGuid();
                await AuditTrail.AppendAsync(db, OrgTokenNames.Actor, "writescope.cancelled", WriteScopeService.TokenSubject(ours.TokenId),
                    new { requestId = ours.Id, status = "Pending" }, new { requestId = ours.Id, status = "Cancelled", reason = "no longer pending on GitHub", githubRequestId = row.Id },
                    now, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (added, auto, closed);
    }

    /// <summary>Write requests not yet in our queue become write-scope requests of their owner; one whose owner no person of the
    /// directory maps waits (a people CSV with the login puts it in the queue at the next sync).</summary>
    private async Task<(int Queued, int Unmapped)> EnqueueForApprovalAsync(string org, CancellationToken ct)
    {
        List<GitHubPatRequest> waiting;
        Dictionary<string, int> people;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            waiting = await db.GitHubPatRequests.AsNoTracking()
                .Where(r => r.Organization == org && r.State == PatRequestState.Waiting && r.AsksWrite && r.WriteScopeRequestId == null).ToListAsync(ct);
            people = await OrgTokenNames.PeopleByLoginAsync(db, ct);
        }
        int queued = 0, unmapped = 0;
        foreach (var row in waiting)
        {
            if (!people.TryGetValue(row.OwnerLogin, out var personId))
            {
                unmapped++;
                continue;
            }
            string email;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                email = await db.People.Where(p => p.Id == personId).Select(p => p.Email).SingleAsync(ct);
            var justification = Cut(string.Create(CultureInfo.InvariantCulture, $"GitHub request #{row.Id} for {org}: ")
                + (row.Reason is { Length: > 0 } reason ? reason : "(no reason given on GitHub)"), 2000)!;
            var result = await writeScopes.RequestAsync(new Actor(personId, email, Roles.None),
                new NewWriteScopeRequest(row.TokenId, justification, Kind: RequestKind.Request, Targets: org), ct);
            int? linked = result.Succeeded ? result.Value!.Id : null;
            if (!result.Succeeded && result.Outcome == Outcome.Conflict)
            {
                // A crash after our request was made and before it was linked: the pending request of the token is this one.
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                linked = await db.WriteScopeRequests.Where(r => r.TokenId == row.TokenId && r.Status == RequestStatus.Pending).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
            }
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                await db.GitHubPatRequests.Where(r => r.Id == row.Id).ExecuteUpdateAsync(u => u
                    .SetProperty(r => r.WriteScopeRequestId, linked).SetProperty(r => r.LastError, linked is null ? Cut(result.Message, 500) : null), ct);
            if (linked is not null) queued++;
            else log.LogWarning("GitHub request {RequestId} of {Organization} could not enter the approval queue: {Error}", row.Id, org, result.Message);
        }
        return (queued, unmapped);
    }

    /// <summary>Fixes the decisions our approvers made (approve, deny with the comment; a withdrawn request is denied) and sends every
    /// due one to GitHub; returns how many GitHub took. Stops at GitHub's rate limit (the rest waits for its time).</summary>
    public async Task<int> SendDecisionsAsync(CancellationToken ct = default)
    {
        await QueueDecidedAsync(ct);
        return await OrgTokenReader.DrainAsync(() => ClaimAsync(ct), row => SendAsync(row, ct));
    }

    /// <summary>When the next queued decision falls due (null: none waits).</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.GitHubPatRequests.AsNoTracking().Where(r => r.State == PatRequestState.Queued)
            .OrderBy(r => r.NextAttemptAt).Select(r => r.NextAttemptAt).FirstOrDefaultAsync(ct);
    }

    private async Task QueueDecidedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decided = await db.GitHubPatRequests.Include(r => r.WriteScopeRequest)
            .Where(r => r.State == PatRequestState.Waiting && r.WriteScopeRequest != null && r.WriteScopeRequest.Status != RequestStatus.Pending).ToListAsync(ct);
        foreach (var row in decided)
        {
            var ours = row.WriteScopeRequest!;
            row.State = PatRequestState.Queued;
            row.Action = ours.Status == RequestStatus.Approved ? Approve : Deny;
            row.Reason = Cut(ours.Status switch
            {
                RequestStatus.Approved => ours.DecisionComment ?? "Approved in the Token Governance Dashboard.",
                RequestStatus.Rejected => ours.DecisionComment ?? "Denied in the Token Governance Dashboard.",
                _ => "The requester withdrew the request in the Token Governance Dashboard.",
            }, 1024);
            row.NextAttemptAt = now;
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<GitHubPatRequest?> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            var due = await db.GitHubPatRequests.AsNoTracking().Where(r => r.State == PatRequestState.Queued && r.NextAttemptAt <= now)
                .OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).FirstOrDefaultAsync(ct);
            if (due is null) return null;
            // Taken only if nobody claimed it since it was read (another round, another process).
            var claimed = await db.GitHubPatRequests.Where(r => r.Id == due.Id && r.State == PatRequestState.Queued && r.NextAttemptAt == due.NextAttemptAt)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.NextAttemptAt, now + Lease).SetProperty(r => r.Attempts, r => r.Attempts + 1), ct);
            if (claimed == 1) return due;
        }
    }

    private async Task<(bool Done, bool Wait)> SendAsync(GitHubPatRequest row, CancellationToken ct)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"orgs/{OrgTokenReader.Org(row.Organization)}/personal-access-token-requests/{row.Id}");
        // GitHub unreachable, the app refused, the store busy: the decision keeps its place and retries with backoff.
        return await reader.PostQueuedAsync(path, new { action = row.Action, reason = row.Reason }, async response =>
        {
            if (response.IsSuccessStatusCode) return (await FinishAsync(row, PatRequestState.Sent, null), false);
            var reason = await GitHubAppConnection.ReasonAsync(response, ct);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
                return (await FinishAsync(row, PatRequestState.Closed, $"GitHub no longer holds this request (HTTP {(int)response.StatusCode}): {reason}"), false);
            return (false, await RetryAsync(row, $"GitHub answered HTTP {(int)response.StatusCode}: {reason}", null));
        }, (error, at) => RetryAsync(row, error, at), ct);
    }

    private async Task<bool> FinishAsync(GitHubPatRequest row, PatRequestState state, string? error)
    {
        var now = clock.GetUtcNow();
        await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var stored = await db.GitHubPatRequests.SingleAsync(r => r.Id == row.Id, CancellationToken.None);
            stored.State = state;
            stored.SentAt = state == PatRequestState.Sent ? now : null;
            stored.LastError = Cut(error, 500);
            await AuditTrail.AppendAsync(db, OrgTokenNames.Actor, state == PatRequestState.Sent ? "github-org.request.decision-sent" : "github-org.request.closed",
                WriteScopeService.TokenSubject(row.TokenId), after: new { org = row.Organization, requestId = row.Id, action = row.Action, reason = row.Reason, error },
                at: now, ct: CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
            return true;
        }, CancellationToken.None);
        if (error is not null) log.LogWarning("GitHub request {RequestId} of {Organization}: {Error}", row.Id, row.Organization, error);
        return state == PatRequestState.Sent;
    }

    private async Task<bool> RetryAsync(GitHubPatRequest row, string error, DateTimeOffset? at)
    {
        var next = at ?? clock.GetUtcNow() + RevocationService.Backoff(row.Attempts + 1);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.GitHubPatRequests.Where(r => r.Id == row.Id).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.NextAttemptAt, next).SetProperty(r => r.LastError, Cut(error, 500)), CancellationToken.None);
        log.LogWarning("GitHub request {RequestId} of {Organization}: {Error}; next attempt at {Next:u}.", row.Id, row.Organization, error, next);
        return true;
    }

    private static string? Cut(string? text, int max) => text is { } t && t.Length > max ? t[..max] : text;
}
