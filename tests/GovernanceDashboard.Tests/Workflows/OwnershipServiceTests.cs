using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Approvals;
using GovernanceDashboard.Workflows.Attestations;
using GovernanceDashboard.Workflows.Notifications;
using GovernanceDashboard.Workflows.Ownership;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Workflows.WorkflowHarness;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>Owner self-service on a real store: my tokens, suggestions, hand-overs, recorded revocations.</summary>
public class OwnershipServiceTests : IAsyncLifetime
{
    private WorkflowHarness _h = default!;
    private Person _ada = default!, _ben = default!, _analyst = default!;

    public async Task InitializeAsync()
    {
        _h = await StartAsync();
        _ada = await _h.PersonAsync("ada");
        _ben = await _h.PersonAsync("ben");
        _analyst = await _h.PersonAsync("analyst", Roles.Analyst);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private OwnershipService Service => _h.Get<OwnershipService>();

    private async Task<Token> ReloadAsync(Token token)
    {
        await using var db = _h.Db();
        return await db.Tokens.AsNoTracking().SingleAsync(t => t.Id == token.Id);
    }

    [Fact]
    public async Task My_tokens_lists_the_owned_and_the_suggested_and_nobody_elses()
    {
        var owned = await _h.TokenAsync(_ada);
        var suggested = await _h.TokenAsync(null, suggested: _ada);
        await _h.TokenAsync(_ben);
        await _h.TokenAsync(_ben, suggested: _ada); // owned by Ben: the stale suggestion gives Ada nothing

        var mine = await Service.MyTokensAsync(As(_ada));

        Assert.Equal([owned.Id, suggested.Id], mine.Select(t => t.Id));
        Assert.True(mine[0].Owned);
        Assert.True(mine[1].Suggested);
        Assert.Null(await Service.ExposuresAsync(As(_ada), (await _h.TokenAsync(_ben)).Id));
        Assert.NotNull(await Service.ExposuresAsync(As(_ada), suggested.Id));
        Assert.NotNull(await Service.ExposuresAsync(As(_analyst), owned.Id));
    }

    [Fact]
    public async Task Accepting_a_suggestion_confirms_the_owner_and_declining_clears_it()
    {
        var first = await _h.TokenAsync(null, suggested: _ada);
        var second = await _h.TokenAsync(null, suggested: _ada);
        Assert.Equal(Outcome.NotFound, (await Service.AcceptSuggestionAsync(As(_ben), first.Id)).Outcome);

        Assert.True((await Service.AcceptSuggestionAsync(As(_ada), first.Id)).Succeeded);
        Assert.True((await Service.DeclineSuggestionAsync(As(_ada), second.Id)).Succeeded);

        var accepted = await ReloadAsync(first);
        Assert.Equal(_ada.Id, accepted.OwnerId);
        Assert.Equal(OwnerSource.Manual, accepted.OwnerSource);
        Assert.Equal(_h.Clock.GetUtcNow(), accepted.OwnerConfirmedAt);
        Assert.Null(accepted.SuggestedOwnerId);
        Assert.Null((await ReloadAsync(second)).SuggestedOwnerId);
        Assert.Equal(1, (await _h.MetricsAsync()).OwnerCoverage.Owned);
        Assert.Single(await _h.AuditAsync("token.owner.accepted"));
        Assert.Single(await _h.AuditAsync("token.owner.declined"));
    }

    [Fact]
    public async Task A_hand_over_needs_the_receivers_acceptance_and_takes_open_tasks_along_while_cancelling_the_givers_request()
    {
        var token = await _h.TokenAsync(_ada);
        var approver = await _h.PersonAsync("approver", Roles.Approver);
        var request = await _h.Get<WriteScopeService>().RequestAsync(As(_ada), new(token.Id, "pipeline"));
        var campaign = await _h.Get<AttestationService>().OpenCampaignAsync(As(_analyst), "Q4", CampaignScope.AllActive, _h.Clock.GetUtcNow().AddDays(14));

        Assert.Equal(Outcome.NotFound, (await Service.OfferTransferAsync(As(_ben), token.Id, _ada.Email, null)).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.OfferTransferAsync(As(_ada), token.Id, _ada.Email, null)).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.OfferTransferAsync(As(_ada), token.Id, "nobody@acme.test", null)).Outcome);
        var offered = await Service.OfferTransferAsync(As(_ada), token.Id, " BEN@acme.test ", "You run the pipeline now.");
        Assert.True(offered.Succeeded, offered.Message);
        Assert.Equal(Outcome.Conflict, (await Service.OfferTransferAsync(As(_ada), token.Id, _analyst.Email, null)).Outcome);
        Assert.Equal(_ada.Id, (await ReloadAsync(token)).OwnerId);
        Assert.Single(await _h.NotificationsAsync(_ben, NotificationKinds.TransferOffered));
        Assert.Single((await Service.MyTransfersAsync(As(_ben))).Incoming);
        Assert.Single((await Service.MyTransfersAsync(As(_ada))).Outgoing);

        Assert.Equal(Outcome.NotFound, (await Service.AnswerTransferAsync(As(_analyst), offered.Value, true)).Outcome);
        Assert.True((await Service.AnswerTransferAsync(As(_ben), offered.Value, accept: true)).Succeeded);
        Assert.Equal(Outcome.Conflict, (await Service.AnswerTransferAsync(As(_ben), offered.Value, accept: true)).Outcome);

        Assert.Equal(_ben.Id, (await ReloadAsync(token)).OwnerId);
        Assert.Equal(RequestStatus.Cancelled, (await _h.Get<WriteScopeService>().GetAsync(As(approver), request.Value!.Id))!.Status);
        Assert.Single(await _h.Get<AttestationService>().MyTasksAsync(As(_ben), campaign.Value!.Id));
        Assert.Empty(await _h.Get<AttestationService>().MyTasksAsync(As(_ada), campaign.Value.Id));
        Assert.Single(await _h.NotificationsAsync(_ada, NotificationKinds.TransferDecided));
        Assert.Single(await _h.AuditAsync("token.transfer.accepted"));
        await _h.AssertAuditChainIntactAsync();
    }

    [Fact]
    public async Task A_declined_or_cancelled_hand_over_leaves_the_token_with_its_owner()
    {
        var token = await _h.TokenAsync(_ada);
        var declined = await Service.OfferTransferAsync(As(_ada), token.Id, _ben.Email, null);
        Assert.True((await Service.AnswerTransferAsync(As(_ben), declined.Value, accept: false)).Succeeded);
        var cancelled = await Service.OfferTransferAsync(As(_ada), token.Id, _ben.Email, null);
        Assert.Equal(Outcome.NotFound, (await Service.CancelTransferAsync(As(_ben), cancelled.Value)).Outcome);
        Assert.True((await Service.CancelTransferAsync(As(_ada), cancelled.Value)).Succeeded);
        Assert.Equal(Outcome.Conflict, (await Service.AnswerTransferAsync(As(_ben), cancelled.Value, true)).Outcome);
        Assert.Equal(_ada.Id, (await ReloadAsync(token)).OwnerId);
    }

    [Fact]
    public async Task Recording_a_revocation_remediates_the_open_exposure_at_that_time_which_the_metrics_count()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddHours(-30));
        var revokedAt = _h.Clock.GetUtcNow().AddHours(-6);
        Assert.Equal(1, (await _h.MetricsAsync()).Exposures.Open);

        Assert.Equal(Outcome.NotFound, (await Service.RecordRevocationAsync(As(_ben), token.Id, RevocationKind.Revoked, revokedAt)).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.RecordRevocationAsync(As(_ada), token.Id, RevocationKind.Revoked, _h.Clock.GetUtcNow().AddHours(1))).Outcome);
        Assert.True((await Service.RecordRevocationAsync(As(_ada), token.Id, RevocationKind.Rotated, revokedAt)).Succeeded);

        var stored = await ReloadAsync(token);
        Assert.Equal(TokenStatus.Revoked, stored.Status);
        Assert.Equal(revokedAt, stored.RevokedAt);
        Assert.Equal("rotated by its owner", stored.RevocationNote);
        await using (var db = _h.Db())
        {
            var remediated = await db.Exposures.SingleAsync(e => e.Id == exposure.Id);
            Assert.Equal(ExposureState.Remediated, remediated.State);
            Assert.Equal(revokedAt, remediated.RemediatedAt);
        }
        var metrics = await _h.MetricsAsync();
        Assert.Equal(0, metrics.Exposures.Open);
        Assert.Equal(1, metrics.TimeToRemediate.Count);
        Assert.Equal(24, metrics.TimeToRemediate.MedianHours);
        Assert.Equal(1, metrics.Tokens.ByStatus["Revoked"]);
        var audit = Assert.Single(await _h.AuditAsync("token.rotated"));
        Assert.Equal(_ada.Email, audit.Actor);
        Assert.Contains("exposuresRemediated", audit.After, StringComparison.Ordinal);

        // An analyst may record it too (the inventory role), not any other owner.
        var other = await _h.TokenAsync(_ben);
        Assert.True((await Service.RecordRevocationAsync(As(_analyst), other.Id, RevocationKind.Revoked, _h.Clock.GetUtcNow())).Succeeded);
    }
}
