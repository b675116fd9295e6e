using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Values;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Approvals;
using GovernanceDashboard.Workflows.Notifications;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Workflows.WorkflowHarness;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>Write-scope requests on a real store: separation of duties, two approvers, concurrency, expiry, escalation.</summary>
public class WriteScopeServiceTests : IAsyncLifetime
{
    /// <summary>SQLite here; <c>PostgresWriteScopeServiceTests</c> runs the same tests on PostgreSQL.</summary>
    protected virtual StoreProvider Provider => StoreProvider.Sqlite;

    private WorkflowHarness _h = default!;
    private Person _lead = default!, _owner = default!, _approver = default!, _approver2 = default!, _admin = default!;

    public async Task InitializeAsync()
    {
        _h = await StartAsync(provider: Provider);
        _lead = await _h.PersonAsync("lead", Roles.Approver);
        _owner = await _h.PersonAsync("owner", manager: _lead);
        _approver = await _h.PersonAsync("approver", Roles.Approver);
        _approver2 = await _h.PersonAsync("approver2", Roles.Approver);
        _admin = await _h.PersonAsync("admin", Roles.Admin);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private WriteScopeService Service => _h.Get<WriteScopeService>();

    private async Task<RequestView> RequestAsync(Token token, int? days = null, Person? by = null)
    {
        var result = await Service.RequestAsync(As(by ?? _owner), new NewWriteScopeRequest(token.Id, "Pushes checkpoints from the training pipeline.", days));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    [Fact]
    public async Task An_owner_asks_for_write_scope_the_request_is_audited_and_approvers_are_told()
    {
        var token = await _h.TokenAsync(_owner);
        var request = await RequestAsync(token);

        Assert.Equal(RequestStatus.Pending, request.Status);
        Assert.Equal(RequestKind.Declare, request.Kind);
        Assert.Equal(90, request.Days);
        Assert.Equal("acme-ai:write", request.Targets);
        Assert.Equal(1, request.RequiredApprovals);
        var audit = Assert.Single(await _h.AuditAsync("writescope.requested"));
        Assert.Equal(_owner.Email, audit.Actor);
        Assert.Equal($"token:{token.Id}", audit.Subject);
        Assert.Single(await _h.NotificationsAsync(_approver, NotificationKinds.RequestPending));
        Assert.Single(await _h.NotificationsAsync(_lead, NotificationKinds.RequestPending));
        Assert.Empty(await _h.NotificationsAsync(_owner));
        Assert.Equal(request.Id, Assert.Single(await Service.ToApproveAsync(As(_approver))).Id);
        Assert.Empty(await Service.ToApproveAsync(As(_owner)));
    }

    [Fact]
    public async Task Only_the_tokens_confirmed_owner_asks_and_the_request_is_checked()
    {
        var token = await _h.TokenAsync(_owner);
        var stranger = await _h.PersonAsync("stranger");
        var analyst = await _h.PersonAsync("analyst", Roles.Analyst);

        Assert.Equal(Outcome.NotFound, (await Service.RequestAsync(As(stranger), new(token.Id, "mine now"))).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.RequestAsync(As(analyst), new(token.Id, "on behalf"))).Outcome);
        Assert.Equal(Outcome.NotFound, (await Service.RequestAsync(As(_owner), new(999_999, "no such token"))).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.RequestAsync(As(_owner), new(token.Id, "  "))).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.RequestAsync(As(_owner), new(token.Id, "too long", 366))).Outcome);

        await RequestAsync(token, days: 365);
        Assert.Equal(Outcome.Conflict, (await Service.RequestAsync(As(_owner), new(token.Id, "again"))).Outcome);
        Assert.Single(await _h.AuditAsync("writescope.requested"));
    }

    [Fact]
    public async Task An_approval_makes_a_grant_that_justifies_the_token_until_it_expires()
    {
        var token = await _h.TokenAsync(_owner);
        var before = await _h.MetricsAsync();
        var request = await RequestAsync(token, days: 30);
        _h.Clock.Advance(TimeSpan.FromHours(2));

        var decided = await Service.DecideAsync(As(_approver), request.Id, approve: true, "Scoped to the pipeline.");

        Assert.True(decided.Succeeded, decided.Message);
        Assert.Equal(RequestStatus.Approved, decided.Value!.Status);
        Assert.Equal(_h.Clock.GetUtcNow().AddDays(30), decided.Value.GrantExpiresAt);
        var after = await _h.MetricsAsync();
        Assert.Equal(before.WriteScope.Justified + 1, after.WriteScope.Justified);
        Assert.Single(await _h.AuditAsync("writescope.approved"));
        Assert.Single(await _h.NotificationsAsync(_owner, NotificationKinds.RequestDecided));
        await _h.AssertAuditChainIntactAsync();

        // Decided: the same or another approver gets a conflict.
        Assert.Equal(Outcome.Conflict, (await Service.DecideAsync(As(_approver2), request.Id, true, null)).Outcome);
        Assert.Equal(Outcome.Conflict, (await Service.DecideAsync(As(_approver), request.Id, false, "changed my mind")).Outcome);
    }

    [Fact]
    public async Task Nobody_decides_their_own_request_nor_one_for_a_token_they_own()
    {
        var approversToken = await _h.TokenAsync(_approver);
        var own = await RequestAsync(approversToken, by: _approver);
        Assert.Equal(Outcome.Forbidden, (await Service.DecideAsync(As(_approver), own.Id, true, null)).Outcome);

        // The token moved to an approver after the request: they own it now, so they may not decide on it.
        var token = await _h.TokenAsync(_owner);
        var request = await RequestAsync(token);
        await using (var db = _h.Db())
            await db.Tokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.OwnerId, _approver2.Id));
        Assert.Equal(Outcome.Forbidden, (await Service.DecideAsync(As(_approver2), request.Id, true, null)).Outcome);
        Assert.DoesNotContain(await Service.ToApproveAsync(As(_approver2)), r => r.Id == request.Id);

        // Somebody without the role neither.
        Assert.Equal(Outcome.NotFound, (await Service.DecideAsync(As(await _h.PersonAsync("plain")), request.Id, true, null)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.DecideAsync(As(_owner), request.Id, true, null)).Outcome);
        Assert.Empty(await _h.AuditAsync("writescope.approved"));
    }

    [Fact]
    public async Task A_rejection_says_why_and_makes_no_grant()
    {
        var token = await _h.TokenAsync(_owner);
        var request = await RequestAsync(token);
        Assert.Equal(Outcome.Invalid, (await Service.DecideAsync(As(_approver), request.Id, false, " ")).Outcome);

        var rejected = await Service.DecideAsync(As(_approver), request.Id, false, "Use a fine-grained token with repo.content.write only.");
        Assert.Equal(RequestStatus.Rejected, rejected.Value!.Status);
        Assert.Null(rejected.Value.GrantExpiresAt);
        await using var db = _h.Db();
        Assert.False(await db.WriteScopeGrants.AnyAsync(g => g.TokenId == token.Id));
        Assert.Contains("fine-grained", Assert.Single(await _h.NotificationsAsync(_owner, NotificationKinds.RequestDecided)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_of_critical_organisations_need_two_different_approvers_when_the_setting_asks()
    {
        await _h.SetAsync(s => s with { RequireTwoApprovalsForCritical = true, CriticalOrganizations = "acme-ai, acme" });
        var critical = await _h.TokenAsync(_owner, organizations: "acme-ai:write");
        var ordinary = await _h.TokenAsync(_owner, organizations: "acme-research:write");
        Assert.Equal(1, (await RequestAsync(ordinary)).RequiredApprovals);
        var request = await RequestAsync(critical);
        Assert.Equal(2, request.RequiredApprovals);

        var first = await Service.DecideAsync(As(_approver), request.Id, true, "ok");
        Assert.Equal(RequestStatus.Pending, first.Value!.Status);
        Assert.Equal(1, first.Value.Approvals);
        Assert.Null(first.Value.GrantExpiresAt);
        Assert.Equal(Outcome.Conflict, (await Service.DecideAsync(As(_approver), request.Id, true, "again")).Outcome);
        Assert.DoesNotContain(await Service.ToApproveAsync(As(_approver)), r => r.Id == request.Id);

        var second = await Service.DecideAsync(As(_admin), request.Id, true, "ok too");
        Assert.Equal(RequestStatus.Approved, second.Value!.Status);
        Assert.Equal(2, second.Value.Decisions.Count);
        Assert.NotNull(second.Value.GrantExpiresAt);
        Assert.Equal(["writescope.approval-recorded", "writescope.approved"],
            (await _h.AuditAsync()).Where(e => e.Kind.StartsWith("writescope.a", StringComparison.Ordinal)).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_decision_on_a_request_that_changed_since_the_approver_saw_it_is_a_conflict_and_saves_nothing()
    {
        await _h.SetAsync(s => s with { RequireTwoApprovalsForCritical = true, CriticalOrganizations = "acme-ai" });
        var request = await RequestAsync(await _h.TokenAsync(_owner));
        var seen = request.Version;

        Assert.True((await Service.DecideAsync(As(_approver), request.Id, true, "first", seen)).Succeeded);
        // The second approver clicks on the page they opened before: the stored version moved on.
        var stale = await Service.DecideAsync(As(_approver2), request.Id, false, "too broad", seen);

        Assert.Equal(Outcome.Conflict, stale.Outcome);
        Assert.Contains("changed since you opened it", stale.Message, StringComparison.Ordinal);
        await using var db = _h.Db();
        Assert.Equal(1, await db.WriteScopeDecisions.CountAsync(d => d.RequestId == request.Id));
        Assert.Equal(RequestStatus.Pending, (await db.WriteScopeRequests.SingleAsync(r => r.Id == request.Id)).Status);
    }

    [Fact]
    public async Task Of_two_simultaneous_decisions_exactly_one_wins_and_the_other_gets_a_conflict()
    {
        for (var round = 0; round < 5; round++)
        {
            var request = await RequestAsync(await _h.TokenAsync(_owner));
            var results = await Task.WhenAll(
                Task.Run(() => Service.DecideAsync(As(_approver), request.Id, true, "yes")),
                Task.Run(() => Service.DecideAsync(As(_approver2), request.Id, false, "no")));

            Assert.Single(results, r => r.Succeeded);
            Assert.Single(results, r => r.Outcome == Outcome.Conflict);
            await using var db = _h.Db();
            Assert.Equal(1, await db.WriteScopeDecisions.CountAsync(d => d.RequestId == request.Id));
            var stored = await db.WriteScopeRequests.SingleAsync(r => r.Id == request.Id);
            Assert.Equal(stored.Status == RequestStatus.Approved ? 1 : 0, await db.WriteScopeGrants.CountAsync(g => g.RequestId == request.Id));
        }
        await _h.AssertAuditChainIntactAsync();
    }

    [Fact]
    public async Task The_concurrency_token_itself_refuses_a_save_over_a_changed_request()
    {
        var request = await RequestAsync(await _h.TokenAsync(_owner));
        await using var first = _h.Db();
        await using var second = _h.Db();
        var a = await first.WriteScopeRequests.SingleAsync(r => r.Id == request.Id);
        var b = await second.WriteScopeRequests.SingleAsync(r => r.Id == request.Id);
        a.Status = RequestStatus.Approved;
        a.Version = Guid.NewGuid();
        await first.SaveChangesAsync();
        b.Status = RequestStatus.Rejected;
        b.Version = Guid.NewGuid();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task The_requester_withdraws_a_waiting_request_and_nobody_else_does()
    {
        var request = await RequestAsync(await _h.TokenAsync(_owner));
        Assert.Equal(Outcome.NotFound, (await Service.CancelAsync(As(await _h.PersonAsync("other")), request.Id)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.CancelAsync(As(_approver), request.Id)).Outcome);
        Assert.Equal(RequestStatus.Cancelled, (await Service.CancelAsync(As(_owner), request.Id)).Value!.Status);
        Assert.Equal(Outcome.Conflict, (await Service.CancelAsync(As(_owner), request.Id)).Outcome);
        Assert.Equal(Outcome.Conflict, (await Service.DecideAsync(As(_approver), request.Id, true, null)).Outcome);
    }

    [Fact]
    public async Task A_grant_expires_on_its_date_the_expiry_is_audited_and_the_token_counts_as_unjustified_again()
    {
        var token = await _h.TokenAsync(_owner);
        var request = await RequestAsync(token, days: 30);
        await Service.DecideAsync(As(_approver), request.Id, true, "ok");
        var justified = (await _h.MetricsAsync()).WriteScope.Justified;
        var expiry = _h.Get<GrantExpiryService>();

        // Sixteen days before the end: nothing; fourteen days before: one warning, once.
        Assert.Equal(0, await expiry.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(14)));
        Assert.Equal(1, await expiry.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(16)));
        Assert.Equal(0, await expiry.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(17)));
        Assert.Single(await _h.NotificationsAsync(_owner, NotificationKinds.GrantExpiring));

        _h.Clock.SetUtcNow(request.CreatedAt.AddDays(30).AddMinutes(1));
        Assert.Equal(justified - 1, (await _h.MetricsAsync()).WriteScope.Justified);
        Assert.Equal(1, await expiry.RunOnceAsync(_h.Clock.GetUtcNow()));
        Assert.Equal(0, await expiry.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(1)));

        var audit = Assert.Single(await _h.AuditAsync("writescope.grant.expired"));
        Assert.Equal(GrantExpiryService.ActorName, audit.Actor);
        Assert.Equal($"token:{token.Id}", audit.Subject);
        Assert.Single(await _h.NotificationsAsync(_owner, NotificationKinds.GrantExpired));
        await using var db = _h.Db();
        Assert.NotNull((await db.WriteScopeGrants.SingleAsync(g => g.TokenId == token.Id)).ExpiryRecordedAt);
        Assert.DoesNotContain(await _h.Get<GovernanceDashboard.Workflows.Ownership.OwnershipService>().MyTokensAsync(As(_owner)), t => t.Justified);
        await _h.AssertAuditChainIntactAsync();
    }

    [Fact]
    public async Task A_request_waiting_too_long_escalates_once_to_the_requesters_manager_or_else_to_the_admins()
    {
        var request = await RequestAsync(await _h.TokenAsync(_owner));
        var orphan = await _h.PersonAsync("no-manager");
        var other = await RequestAsync(await _h.TokenAsync(orphan), by: orphan);
        var escalation = _h.Get<RequestEscalationService>();

        Assert.Equal(0, await escalation.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(3).AddMinutes(-1)));
        Assert.Equal(2, await escalation.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(3)));
        Assert.Equal(0, await escalation.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(4)));

        Assert.Single(await _h.NotificationsAsync(_lead, NotificationKinds.RequestEscalated));
        Assert.Single(await _h.NotificationsAsync(_admin, NotificationKinds.RequestEscalated));
        Assert.Equal(2, (await _h.AuditAsync("writescope.escalated")).Count);
        var escalated = await Service.GetAsync(As(_owner), request.Id);
        Assert.Equal(_h.Clock.GetUtcNow().AddDays(3), escalated!.EscalatedAt);
        // Escalation does not void the approver's view of the request: deciding with the version seen before still works.
        Assert.True((await Service.DecideAsync(As(_approver), other.Id, true, "ok", other.Version)).Succeeded);
    }

    [Fact]
    public async Task The_escalation_delay_is_a_setting()
    {
        await _h.SetAsync(s => s with { EscalateRequestsAfterDays = 7 });
        await RequestAsync(await _h.TokenAsync(_owner));
        var escalation = _h.Get<RequestEscalationService>();
        Assert.Equal(0, await escalation.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(6)));
        Assert.Equal(1, await escalation.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(7)));
    }

    [Fact]
    public async Task The_request_tables_sort_by_a_column_in_the_store_both_ways()
    {
        var zed = await _h.PersonAsync("zed");
        var amy = await _h.PersonAsync("amy");
        var a = await RequestAsync(await _h.TokenAsync(_owner), days: 30);
        var b = await RequestAsync(await _h.TokenAsync(zed), days: 10, by: zed);
        var c = await RequestAsync(await _h.TokenAsync(amy), days: 60, by: amy);
        static ListSort<RequestSortKey> By(string text) => ListSort<RequestSortKey>.Parse(text);
        async Task<int[]> Waiting(string sort, int take = 200) => [.. (await Service.ToApproveAsync(As(_approver), take, By(sort))).Select(r => r.Id)];

        Assert.Equal([a.Id, b.Id, c.Id], await Waiting(""));
        Assert.Equal([b.Id, a.Id, c.Id], await Waiting("days"));
        Assert.Equal([c.Id, a.Id, b.Id], await Waiting("-days"));
        Assert.Equal([c.Id, a.Id, b.Id], await Waiting("requester"));
        Assert.Equal([b.Id, a.Id, c.Id], await Waiting("-requester"));
        // The order is the store's, before the take: the first row of the whole order, not of the newest 200.
        Assert.Equal([c.Id], await Waiting("-days", take: 1));

        await Service.DecideAsync(As(_approver), a.Id, true, "ok");
        await Service.DecideAsync(As(_approver), b.Id, false, "no");
        async Task<int[]> History(string sort) => [.. (await Service.HistoryAsync(As(_approver), sort: By(sort))).Select(r => r.Id)];
        Assert.Equal([b.Id, a.Id], await History(""));
        Assert.Equal([a.Id, b.Id], await History("status"));
        Assert.Equal([b.Id, a.Id], await History("-status"));
        Assert.Equal([c.Id, a.Id, b.Id], (await Service.MineAsync(As(amy), sort: By("status"))).Select(r => r.Id).Concat(
            (await Service.MineAsync(As(_owner), sort: By("status"))).Select(r => r.Id)).Concat((await Service.MineAsync(As(zed))).Select(r => r.Id)));
    }

    [Fact]
    public async Task Each_person_sees_their_own_requests_and_the_history_follows_roles()
    {
        var mine = await RequestAsync(await _h.TokenAsync(_owner));
        var stranger = await _h.PersonAsync("stranger");
        var theirs = await RequestAsync(await _h.TokenAsync(stranger), by: stranger);
        await Service.DecideAsync(As(_approver), mine.Id, true, "ok");
        await Service.DecideAsync(As(_approver), theirs.Id, false, "no");

        Assert.Equal([mine.Id], (await Service.MineAsync(As(_owner))).Select(r => r.Id));
        Assert.Equal([mine.Id], (await Service.HistoryAsync(As(_owner))).Select(r => r.Id));
        Assert.Equal(2, (await Service.HistoryAsync(As(_approver))).Count);
        Assert.Null(await Service.GetAsync(As(_owner), theirs.Id));
        Assert.NotNull(await Service.GetAsync(As(_approver), theirs.Id));
    }
}
