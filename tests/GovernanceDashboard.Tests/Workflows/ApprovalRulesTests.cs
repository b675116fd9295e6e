using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Approvals;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The state rules of write-scope requests, without storage or UI.</summary>
public class ApprovalRulesTests
{
    private static readonly Actor Approver = new(10, "approver@acme.test", Roles.Approver);
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nobody_decides_their_own_request() =>
        Assert.Equal(DecisionDenial.OwnRequest, ApprovalRules.WhyNotDecide(Approver, requesterId: 10, tokenOwnerId: 3, RequestStatus.Pending, []));

    [Fact]
    public void Nobody_decides_a_request_for_a_token_they_own() =>
        Assert.Equal(DecisionDenial.OwnToken, ApprovalRules.WhyNotDecide(Approver, requesterId: 3, tokenOwnerId: 10, RequestStatus.Pending, []));

    [Theory]
    [InlineData(Roles.None)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Auditor)]
    public void Only_approvers_and_admins_decide(Roles roles) =>
        Assert.Equal(DecisionDenial.NotAnApprover, ApprovalRules.WhyNotDecide(Approver with { Roles = roles }, 3, 3, RequestStatus.Pending, []));

    [Fact]
    public void An_admin_who_is_neither_requester_nor_owner_may_decide() =>
        Assert.Equal(DecisionDenial.None, ApprovalRules.WhyNotDecide(Approver with { Roles = Roles.Admin }, 3, 3, RequestStatus.Pending, []));

    [Theory]
    [InlineData(RequestStatus.Approved)]
    [InlineData(RequestStatus.Rejected)]
    [InlineData(RequestStatus.Cancelled)]
    public void A_decided_request_is_not_decided_again(RequestStatus status) =>
        Assert.Equal(DecisionDenial.AlreadyDecided, ApprovalRules.WhyNotDecide(Approver, 3, 3, status, []));

    [Fact]
    public void Separation_of_duties_is_judged_before_the_state_so_ones_own_decided_request_is_forbidden_not_a_conflict()
    {
        Assert.Equal(DecisionDenial.OwnRequest, ApprovalRules.WhyNotDecide(Approver, 10, 3, RequestStatus.Approved, []));
        Assert.Equal(Outcome.Forbidden, ApprovalRules.RefusalFor(DecisionDenial.OwnRequest, RequestStatus.Approved)!.Value.Outcome);
        Assert.Equal(Outcome.Conflict, ApprovalRules.RefusalFor(DecisionDenial.AlreadyDecided, RequestStatus.Approved)!.Value.Outcome);
    }

    [Fact]
    public void An_approver_approves_a_request_only_once() =>
        Assert.Equal(DecisionDenial.AlreadyVoted, ApprovalRules.WhyNotDecide(Approver, 3, 3, RequestStatus.Pending, [7, 10]));

    [Fact]
    public void Organisations_lose_their_hugging_face_roles_and_case() =>
        Assert.Equal(["acme-ai", "acme"], ApprovalRules.OrganizationsOf(" Acme-AI:write, acme ,, ").Order().Reverse());

    [Theory]
    [InlineData("acme-ai:write", "acme-ai", true, 2)]
    [InlineData("acme-ai:write, acme-labs", "ACME-LABS", true, 2)]
    [InlineData("acme-research:read", "acme-ai, acme", true, 1)]
    [InlineData("acme-ai:write", "acme-ai", false, 1)]
    [InlineData(null, "acme-ai", true, 1)]
    [InlineData("acme-ai", "", true, 1)]
    public void Two_approvals_are_required_only_when_the_setting_asks_and_the_token_reaches_a_critical_organisation(
        string? organizations, string critical, bool setting, int expected) =>
        Assert.Equal(expected, ApprovalRules.RequiredApprovals(organizations, critical, setting));

    [Fact]
    public void Any_rejection_rejects_and_enough_approvals_approve()
    {
        Assert.Equal(RequestStatus.Approved, ApprovalRules.OutcomeOf([true], 1));
        Assert.Equal(RequestStatus.Pending, ApprovalRules.OutcomeOf([true], 2));
        Assert.Equal(RequestStatus.Approved, ApprovalRules.OutcomeOf([true, true], 2));
        Assert.Equal(RequestStatus.Rejected, ApprovalRules.OutcomeOf([true, false], 2));
        Assert.Equal(RequestStatus.Rejected, ApprovalRules.OutcomeOf([false], 1));
        Assert.Equal(RequestStatus.Pending, ApprovalRules.OutcomeOf([], 1));
    }

    [Theory]
    [InlineData(null, 90, null)]
    [InlineData(0, 90, null)]
    [InlineData(30, 30, null)]
    [InlineData(365, 365, null)]
    [InlineData(366, 366, "at most 365")]
    [InlineData(-1, -1, "at least 1")]
    public void The_grant_lasts_the_default_unless_asked_and_never_beyond_the_setting(int? requested, int expectedDays, string? error)
    {
        var ok = ApprovalRules.TryGrantDays(requested, 90, 365, out var days, out var message);
        Assert.Equal(error is null, ok);
        Assert.Equal(expectedDays, days);
        if (error is not null) Assert.Contains(error, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_request_escalates_once_after_the_set_days()
    {
        Assert.False(ApprovalRules.ShouldEscalate(RequestStatus.Pending, T0, null, T0.AddDays(3).AddSeconds(-1), 3));
        Assert.True(ApprovalRules.ShouldEscalate(RequestStatus.Pending, T0, null, T0.AddDays(3), 3));
        Assert.False(ApprovalRules.ShouldEscalate(RequestStatus.Pending, T0, T0.AddDays(3), T0.AddDays(9), 3));
        Assert.False(ApprovalRules.ShouldEscalate(RequestStatus.Approved, T0, null, T0.AddDays(9), 3));
        Assert.False(ApprovalRules.ShouldEscalate(RequestStatus.Pending, T0, null, T0.AddDays(9), 0));
    }

    [Fact]
    public void A_grant_expires_on_its_date_once_and_is_warned_before_once()
    {
        var grant = new WriteScopeGrant { ApprovedAt = T0, ExpiresAt = T0.AddDays(90) };
        Assert.False(ApprovalRules.ExpiryDue(grant, T0.AddDays(90).AddSeconds(-1)));
        Assert.True(ApprovalRules.ExpiryDue(grant, T0.AddDays(90)));
        Assert.True(grant.CoversAt(T0.AddDays(90).AddSeconds(-1)));
        Assert.False(grant.CoversAt(T0.AddDays(90)));

        Assert.False(ApprovalRules.ExpiryWarningDue(grant, T0.AddDays(75).AddSeconds(-1), 14));
        Assert.True(ApprovalRules.ExpiryWarningDue(grant, T0.AddDays(76), 14));
        Assert.False(ApprovalRules.ExpiryWarningDue(grant, T0.AddDays(90), 14));
        grant.ExpiryWarnedAt = T0.AddDays(76);
        Assert.False(ApprovalRules.ExpiryWarningDue(grant, T0.AddDays(80), 14));

        grant.ExpiryRecordedAt = T0.AddDays(90);
        Assert.False(ApprovalRules.ExpiryDue(grant, T0.AddDays(91)));
        Assert.False(ApprovalRules.ExpiryDue(new WriteScopeGrant { ExpiresAt = T0, WithdrawnAt = T0.AddDays(-1) }, T0.AddDays(1)));
    }

    [Fact]
    public void A_token_that_can_already_write_is_declared_and_a_read_token_asks()
    {
        Assert.Equal(RequestKind.Declare, ApprovalRules.DefaultKind(WriteCapability.Write));
        Assert.Equal(RequestKind.Request, ApprovalRules.DefaultKind(WriteCapability.Read));
        Assert.Equal(RequestKind.Request, ApprovalRules.DefaultKind(WriteCapability.Unknown));
    }
}
