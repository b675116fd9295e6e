using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Attestations;
using GovernanceDashboard.Workflows.Notifications;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Workflows.WorkflowHarness;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>Attestation campaigns on a real store: tasks, triage, answers feeding the token, reminders and escalation.</summary>
public class AttestationServiceTests : IAsyncLifetime
{
    /// <summary>SQLite here; <c>PostgresAttestationServiceTests</c> runs the same tests on PostgreSQL.</summary>
    protected virtual StoreProvider Provider => StoreProvider.Sqlite;

    private WorkflowHarness _h = default!;
    private Person _lead = default!, _ada = default!, _ben = default!, _left = default!, _analyst = default!;
    private Token _adaWrite = default!, _adaRead = default!, _benWrite = default!, _orphaned = default!, _unowned = default!;

    public async Task InitializeAsync()
    {
        _h = await StartAsync(provider: Provider);
        _lead = await _h.PersonAsync("lead", Roles.Approver);
        _ada = await _h.PersonAsync("ada", manager: _lead);
        _ben = await _h.PersonAsync("ben");
        _left = await _h.PersonAsync("left", active: false);
        _analyst = await _h.PersonAsync("analyst", Roles.Analyst);
        _adaWrite = await _h.TokenAsync(_ada);
        _adaRead = await _h.TokenAsync(_ada, WriteCapability.Read);
        _benWrite = await _h.TokenAsync(_ben);
        _orphaned = await _h.TokenAsync(_left);
        _unowned = await _h.TokenAsync(null, WriteCapability.Read);
        var revoked = await _h.TokenAsync(_ada);
        await using var db = _h.Db();
        await db.Tokens.Where(t => t.Id == revoked.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, _h.Clock.GetUtcNow().AddDays(-1)));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private AttestationService Service => _h.Get<AttestationService>();

    private async Task<CampaignView> OpenAsync(CampaignScope scope = CampaignScope.AllActive, int days = 14)
    {
        var result = await Service.OpenCampaignAsync(As(_analyst), "Quarterly review", scope, _h.Clock.GetUtcNow().AddDays(days));
        Assert.True(result.Succeeded, result.Message);
        return result.Value!;
    }

    private async Task<int> TaskIdAsync(CampaignView campaign, Token token)
    {
        await using var db = _h.Db();
        return await db.AttestationTasks.Where(t => t.CampaignId == campaign.Id && t.TokenId == token.Id).Select(t => t.Id).SingleAsync();
    }

    [Fact]
    public async Task A_campaign_gives_each_owner_one_task_per_active_token_and_sends_the_unowned_to_triage()
    {
        var campaign = await OpenAsync();

        Assert.Equal(5, campaign.Progress.Due);
        Assert.Equal(2, campaign.Progress.Triage);
        Assert.Equal(0, campaign.Progress.CompletionRatio);
        Assert.Equal(new[] { _adaRead.Id, _adaWrite.Id }.Order(), (await Service.MyTasksAsync(As(_ada), campaign.Id)).Select(t => t.TokenId).Order());
        Assert.Equal(new[] { _orphaned.Id, _unowned.Id }.Order(), (await Service.TriageAsync(As(_analyst), campaign.Id)).Select(t => t.TokenId).Order());
        Assert.Empty(await Service.TriageAsync(As(_ada), campaign.Id));
        Assert.Empty(await Service.AllTasksAsync(As(_ada), campaign.Id));
        Assert.Equal(5, (await Service.AllTasksAsync(As(_analyst), campaign.Id)).Count);
        Assert.Single(await _h.NotificationsAsync(_ada, NotificationKinds.AttestationOpened));
        Assert.Single(await _h.NotificationsAsync(_ben, NotificationKinds.AttestationOpened));
        Assert.Single(await _h.AuditAsync("attestation.campaign.opened"));
    }

    [Fact]
    public async Task A_write_only_campaign_covers_write_capable_tokens_and_supersedes_the_open_one()
    {
        var first = await OpenAsync();
        var second = await OpenAsync(CampaignScope.WriteCapableOnly);

        Assert.Equal(3, second.Progress.Due);
        Assert.NotNull((await Service.GetCampaignAsync(first.Id))!.ClosedAt);
        Assert.Equal(Outcome.Conflict, (await Service.AnswerAsync(As(_ada), await TaskIdAsync(first, _adaRead), AttestationAnswer.Keep, null)).Outcome);
    }

    [Fact]
    public async Task Only_analysts_and_admins_open_campaigns_and_the_deadline_is_ahead()
    {
        Assert.Equal(Outcome.Forbidden, (await Service.OpenCampaignAsync(As(_ada), "mine", CampaignScope.AllActive, _h.Clock.GetUtcNow().AddDays(5))).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.OpenCampaignAsync(As(_analyst), "late", CampaignScope.AllActive, _h.Clock.GetUtcNow())).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.OpenCampaignAsync(As(_analyst), " ", CampaignScope.AllActive, _h.Clock.GetUtcNow().AddDays(1))).Outcome);
    }

    [Fact]
    public async Task An_owner_answers_their_own_tasks_once_and_nobody_elses()
    {
        var campaign = await OpenAsync();
        var adaTask = await TaskIdAsync(campaign, _adaWrite);
        var benTask = await TaskIdAsync(campaign, _benWrite);

        Assert.Equal(Outcome.NotFound, (await Service.AnswerAsync(As(_ada), benTask, AttestationAnswer.Keep, null)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.AnswerAsync(As(_analyst), benTask, AttestationAnswer.Keep, null)).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.AnswerAsync(As(_ada), adaTask, AttestationAnswer.ReduceScope, null)).Outcome);
        Assert.True((await Service.AnswerAsync(As(_ada), adaTask, AttestationAnswer.ReduceScope, "Read only from now on.")).Succeeded);
        Assert.Equal(Outcome.Conflict, (await Service.AnswerAsync(As(_ada), adaTask, AttestationAnswer.Keep, null)).Outcome);

        var audit = Assert.Single(await _h.AuditAsync("attestation.answered"));
        Assert.Equal($"token:{_adaWrite.Id}", audit.Subject);
        Assert.Contains("ReduceScope", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_opens_remediation_on_the_token_and_tells_the_analysts()
    {
        var campaign = await OpenAsync();
        Assert.True((await Service.AnswerAsync(As(_ben), await TaskIdAsync(campaign, _benWrite), AttestationAnswer.Revoke, "Not used since the migration.")).Succeeded);

        await using var db = _h.Db();
        Assert.Equal(_h.Clock.GetUtcNow(), (await db.Tokens.SingleAsync(t => t.Id == _benWrite.Id)).RevocationRequestedAt);
        Assert.Single(await _h.NotificationsAsync(_analyst, NotificationKinds.RevocationRequested));
    }

    [Fact]
    public async Task The_completion_ratio_counts_answers_given_by_the_deadline_and_agrees_with_the_metrics()
    {
        var campaign = await OpenAsync(days: 10);
        await Service.AnswerAsync(As(_ada), await TaskIdAsync(campaign, _adaWrite), AttestationAnswer.Keep, null);
        await Service.AnswerAsync(As(_analyst), await TaskIdAsync(campaign, _unowned), AttestationAnswer.Revoke, "nobody knows it");
        _h.Clock.Advance(TimeSpan.FromDays(11));
        await Service.AnswerAsync(As(_ada), await TaskIdAsync(campaign, _adaRead), AttestationAnswer.Keep, null);

        var progress = (await Service.ProgressAsync(campaign.Id))!;
        var metrics = (await _h.MetricsAsync()).Attestation;

        Assert.Equal(5, progress.Due);
        Assert.Equal(2, progress.Attested);
        Assert.Equal(3, progress.Answered);
        Assert.Equal(1, progress.AnsweredLate);
        Assert.Equal(0.4, progress.CompletionRatio);
        Assert.Equal((metrics.Due, metrics.Attested, metrics.CompletionRatio, metrics.CampaignId),
            (progress.Due, progress.Attested, progress.CompletionRatio, (int?)campaign.Id));
    }

    [Fact]
    public async Task An_analyst_gives_a_triage_task_an_owner_who_then_answers_it()
    {
        var campaign = await OpenAsync();
        var task = await TaskIdAsync(campaign, _unowned);
        Assert.Equal(Outcome.NotFound, (await Service.AssignOwnerAsync(As(_ada), task, _ada.Email)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.AssignOwnerAsync(As(_lead), task, _lead.Email)).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.AssignOwnerAsync(As(_analyst), task, _left.Email)).Outcome);
        Assert.True((await Service.AssignOwnerAsync(As(_analyst), task, _ben.Email)).Succeeded);
        Assert.Equal(Outcome.Conflict, (await Service.AssignOwnerAsync(As(_analyst), task, _ada.Email)).Outcome);

        await using (var db = _h.Db())
            Assert.Equal(_ben.Id, (await db.Tokens.SingleAsync(t => t.Id == _unowned.Id)).OwnerId);
        Assert.Single(await _h.NotificationsAsync(_ben, NotificationKinds.OwnerAssigned));
        Assert.True((await Service.AnswerAsync(As(_ben), task, AttestationAnswer.Keep, null)).Succeeded);
        Assert.Single(await _h.AuditAsync("token.owner.assigned"));
    }

    [Fact]
    public async Task Owners_are_reminded_before_the_deadline_and_what_is_left_escalates_to_managers_after_it()
    {
        var campaign = await OpenAsync(days: 10);
        await Service.AnswerAsync(As(_ben), await TaskIdAsync(campaign, _benWrite), AttestationAnswer.Keep, null);
        var reminders = _h.Get<AttestationReminderService>();
        var deadline = campaign.Deadline;

        Assert.Equal(0, await reminders.RunOnceAsync(deadline.AddDays(-4)));
        Assert.Equal(2, await reminders.RunOnceAsync(deadline.AddDays(-3)));
        Assert.Equal(0, await reminders.RunOnceAsync(deadline.AddDays(-2)));
        Assert.Single(await _h.NotificationsAsync(_ada, NotificationKinds.AttestationReminder));
        Assert.Empty(await _h.NotificationsAsync(_ben, NotificationKinds.AttestationReminder));

        Assert.Equal(0, await reminders.RunOnceAsync(deadline.AddHours(12)));
        Assert.Equal(4, await reminders.RunOnceAsync(deadline.AddDays(1)));
        Assert.Equal(0, await reminders.RunOnceAsync(deadline.AddDays(2)));
        // Ada's two tokens go to her manager; the two triage tasks to the analyst who opened the campaign.
        Assert.Contains("2 token(s)", Assert.Single(await _h.NotificationsAsync(_lead, NotificationKinds.AttestationEscalated)).Subject, StringComparison.Ordinal);
        Assert.Single(await _h.NotificationsAsync(_analyst, NotificationKinds.AttestationEscalated));
        Assert.Single(await _h.AuditAsync("attestation.reminded"));
        Assert.Single(await _h.AuditAsync("attestation.escalated"));
        await _h.AssertAuditChainIntactAsync();
    }
}
