using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows.Attestations;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The state rules of attestation campaigns, without storage or UI.</summary>
public class AttestationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Deadline = Now.AddDays(10);

    [Theory]
    [InlineData(-10, null, null, WriteCapability.Read, CampaignScope.AllActive, true)]
    [InlineData(-10, null, null, WriteCapability.Read, CampaignScope.WriteCapableOnly, false)]
    [InlineData(-10, null, null, WriteCapability.Write, CampaignScope.WriteCapableOnly, true)]
    [InlineData(-10, -1, null, WriteCapability.Write, CampaignScope.AllActive, false)]
    [InlineData(-10, 5, null, WriteCapability.Write, CampaignScope.AllActive, true)]
    [InlineData(-10, null, -1, WriteCapability.Write, CampaignScope.AllActive, false)]
    [InlineData(1, null, null, WriteCapability.Write, CampaignScope.AllActive, false)]
    public void A_campaign_covers_active_tokens_within_its_scope(int firstSeenDays, int? revokedDays, int? expiresDays, WriteCapability write,
        CampaignScope scope, bool expected) =>
        Assert.Equal(expected, AttestationRules.InScope(Now.AddDays(firstSeenDays), revokedDays is { } r ? Now.AddDays(r) : null,
            expiresDays is { } e ? Now.AddDays(e) : null, write, scope, Now));

    [Fact]
    public void Tokens_without_an_active_owner_go_to_the_triage_queue()
    {
        Assert.Equal(4, AttestationRules.TaskOwner(4, ownerActive: true));
        Assert.Null(AttestationRules.TaskOwner(4, ownerActive: false));
        Assert.Null(AttestationRules.TaskOwner(null, ownerActive: false));
    }

    [Fact]
    public void An_answer_is_keep_reduce_or_revoke_and_reducing_says_how()
    {
        Assert.NotNull(AttestationRules.ValidateAnswer(AttestationAnswer.None, "x"));
        Assert.NotNull(AttestationRules.ValidateAnswer((AttestationAnswer)42, "x"));
        Assert.NotNull(AttestationRules.ValidateAnswer(AttestationAnswer.ReduceScope, " "));
        Assert.Null(AttestationRules.ValidateAnswer(AttestationAnswer.ReduceScope, "read only from now on"));
        Assert.Null(AttestationRules.ValidateAnswer(AttestationAnswer.Keep, null));
        Assert.Null(AttestationRules.ValidateAnswer(AttestationAnswer.Revoke, null));
    }

    [Fact]
    public void Only_answers_given_by_the_deadline_count_as_attested()
    {
        Assert.True(AttestationRules.Attested(AttestationAnswer.Keep, Deadline, Deadline));
        Assert.False(AttestationRules.Attested(AttestationAnswer.Keep, Deadline.AddSeconds(1), Deadline));
        Assert.False(AttestationRules.Attested(AttestationAnswer.None, Now, Deadline));
    }

    [Fact]
    public void An_owner_is_reminded_once_in_the_days_before_the_deadline()
    {
        var task = new AttestationTask { OwnerId = 3 };
        Assert.False(AttestationRules.ReminderDue(task, Deadline, Deadline.AddDays(-4), 3));
        Assert.True(AttestationRules.ReminderDue(task, Deadline, Deadline.AddDays(-3), 3));
        Assert.False(AttestationRules.ReminderDue(task, Deadline, Deadline, 3));
        Assert.False(AttestationRules.ReminderDue(new AttestationTask { OwnerId = null }, Deadline, Deadline.AddDays(-1), 3));
        Assert.False(AttestationRules.ReminderDue(new AttestationTask { OwnerId = 3, Answer = AttestationAnswer.Keep }, Deadline, Deadline.AddDays(-1), 3));
        task.RemindedAt = Deadline.AddDays(-3);
        Assert.False(AttestationRules.ReminderDue(task, Deadline, Deadline.AddDays(-1), 3));
    }

    [Fact]
    public void An_unanswered_task_escalates_once_after_the_deadline()
    {
        var task = new AttestationTask { OwnerId = 3 };
        Assert.False(AttestationRules.EscalationDue(task, Deadline, Deadline.AddHours(23), 1));
        Assert.True(AttestationRules.EscalationDue(task, Deadline, Deadline.AddDays(1), 1));
        Assert.True(AttestationRules.EscalationDue(new AttestationTask(), Deadline, Deadline.AddDays(1), 1));
        Assert.False(AttestationRules.EscalationDue(new AttestationTask { Answer = AttestationAnswer.Revoke }, Deadline, Deadline.AddDays(2), 1));
        task.EscalatedAt = Deadline.AddDays(1);
        Assert.False(AttestationRules.EscalationDue(task, Deadline, Deadline.AddDays(5), 1));
    }
}
