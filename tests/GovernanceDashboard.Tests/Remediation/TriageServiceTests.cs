using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Workflows;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Notifications;
using GovernanceDashboard.Workflows.Ownership;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Workflows.WorkflowHarness;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>Triage on a real SQLite store: each action audited, refused for owners, and visible in the metrics at once.</summary>
public class TriageServiceTests : IAsyncLifetime
{
    /// <summary>SQLite here; <c>PostgresTriageServiceTests</c> runs the same tests on PostgreSQL.</summary>
    protected virtual StoreProvider Provider => StoreProvider.Sqlite;

    private WorkflowHarness _h = default!;
    private Person _ada = default!, _ben = default!, _analyst = default!;

    public async Task InitializeAsync()
    {
        _h = await StartAsync(provider: Provider);
        _ada = await _h.PersonAsync("ada");
        _ben = await _h.PersonAsync("ben");
        _analyst = await _h.PersonAsync("analyst", Roles.Analyst);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private TriageService Service => _h.Get<TriageService>();

    private async Task<Exposure> ExposureWithEscrowAsync(Token token, DateTimeOffset detected, Severity severity = Severity.High)
    {
        var exposure = await _h.ExposureAsync(token, detected, severity);
        await using var db = _h.Db();
        await db.Exposures.Where(e => e.Id == exposure.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Escrow, "CfDJ8-ciphertext"));
        return exposure;
    }

    private async Task<(Exposure Exposure, Token Token)> ReloadAsync(int exposureId)
    {
        await using var db = _h.Db();
        var e = await db.Exposures.AsNoTracking().Include(x => x.Token).SingleAsync(x => x.Id == exposureId);
        return (e, e.Token!);
    }

    [Fact]
    public async Task Assigning_an_owner_confirms_it_audits_notifies_and_raises_owner_coverage_at_once()
    {
        var token = await _h.TokenAsync(null, suggested: _ben);
        var before = await _h.MetricsAsync();

        var result = await Service.AssignOwnerAsync(As(_analyst), [token.Id], "ADA@acme.test ");

        Assert.True(result.Succeeded, result.Message);
        var stored = await ReloadTokenAsync(token.Id);
        Assert.Equal(_ada.Id, stored.OwnerId);
        Assert.Equal(OwnerSource.Manual, stored.OwnerSource);
        Assert.Null(stored.SuggestedOwnerId);
        Assert.Equal(before.OwnerCoverage.Owned + 1, (await _h.MetricsAsync()).OwnerCoverage.Owned);
        var audit = Assert.Single(await _h.AuditAsync("token.owner.assigned"));
        Assert.Equal(_analyst.Email, audit.Actor);
        Assert.Contains(_ada.Email, audit.After, StringComparison.Ordinal);
        Assert.Single(await _h.NotificationsAsync(_ada, NotificationKinds.OwnerAssigned));
        await _h.AssertAuditChainIntactAsync();
    }

    [Fact]
    public async Task Owners_and_unknown_people_are_refused_and_nothing_changes()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddHours(-1));

        Assert.Equal(Outcome.Forbidden, (await Service.AssignOwnerAsync(As(_ada), [token.Id], _ben.Email)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.DismissAsync(As(_ada), [exposure.Id], DismissalReasons.FalsePositive, null, null)).Outcome);
        Assert.Equal(Outcome.Forbidden, (await Service.AddNoteAsync(As(_ada), exposure.Id, "mine")).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.AssignOwnerAsync(As(_analyst), [token.Id], "nobody@acme.test")).Outcome);
        Assert.Equal(Outcome.NotFound, (await Service.AssignOwnerAsync(As(_analyst), [token.Id, 99999], _ben.Email)).Outcome);

        Assert.Equal(_ada.Id, (await ReloadTokenAsync(token.Id)).OwnerId);
        Assert.Equal(ExposureState.Open, (await ReloadAsync(exposure.Id)).Exposure.State);
        Assert.Empty(await _h.AuditAsync());
    }

    [Fact]
    public async Task Dismissing_closes_the_exposure_erases_the_escrow_and_leaves_time_to_remediate()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await ExposureWithEscrowAsync(token, _h.Clock.GetUtcNow().AddHours(-5));
        var before = await _h.MetricsAsync();

        var result = await Service.DismissAsync(As(_analyst), [exposure.Id], "false_positive", null, "A placeholder in the docs.");

        Assert.True(result.Succeeded, result.Message);
        var (stored, storedToken) = await ReloadAsync(exposure.Id);
        Assert.Equal(ExposureState.Dismissed, stored.State);
        Assert.Equal(_h.Clock.GetUtcNow(), stored.DismissedAt);
        Assert.Equal("false_positive", stored.DismissalReason);
        Assert.Null(stored.Escrow);
        Assert.Equal(TokenStatus.Active, storedToken.Status);
        var after = await _h.MetricsAsync();
        Assert.Equal(before.Exposures.Open - 1, after.Exposures.Open);
        Assert.Equal(before.Exposures.Dismissed + 1, after.Exposures.Dismissed);
        Assert.Equal(before.TimeToRemediate.Count, after.TimeToRemediate.Count);
        var audit = Assert.Single(await _h.AuditAsync("exposure.dismissed"));
        Assert.Contains("A placeholder in the docs.", audit.After, StringComparison.Ordinal);
        Assert.DoesNotContain("CfDJ8", audit.After, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("risk_accepted", null, "needs an expiry date")]
    [InlineData("risk_accepted", -1, "in the future")]
    [InlineData("false_positive", 5, "Only a risk accepted")]
    [InlineData("wont_fix", null, "reason must be")]
    [InlineData(null, null, "reason must be")]
    public async Task A_bad_dismissal_is_refused_with_a_clear_message(string? reason, int? untilDays, string message)
    {
        var exposure = await _h.ExposureAsync(await _h.TokenAsync(_ada), _h.Clock.GetUtcNow().AddHours(-1));

        var result = await Service.DismissAsync(As(_analyst), [exposure.Id], reason, untilDays is { } d ? _h.Clock.GetUtcNow().AddDays(d) : null, null);

        Assert.Equal(Outcome.Invalid, result.Outcome);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
        Assert.Equal(ExposureState.Open, (await ReloadAsync(exposure.Id)).Exposure.State);
    }

    [Fact]
    public async Task A_bulk_dismissal_with_one_closed_row_changes_nothing_and_a_valid_one_changes_all()
    {
        var a = await _h.ExposureAsync(await _h.TokenAsync(_ada), _h.Clock.GetUtcNow().AddHours(-3));
        var b = await _h.ExposureAsync(await _h.TokenAsync(_ben), _h.Clock.GetUtcNow().AddHours(-2));
        var c = await _h.ExposureAsync(await _h.TokenAsync(_ben), _h.Clock.GetUtcNow().AddHours(-2));
        Assert.True((await Service.DismissAsync(As(_analyst), [c.Id], "used_in_tests", null, null)).Succeeded);

        var refused = await Service.DismissAsync(As(_analyst), [a.Id, b.Id, c.Id], "used_in_tests", null, null);
        Assert.Equal(Outcome.Conflict, refused.Outcome);
        Assert.Equal(ExposureState.Open, (await ReloadAsync(a.Id)).Exposure.State);

        var done = await Service.DismissAsync(As(_analyst), [a.Id, b.Id, a.Id], "used_in_tests", null, null);
        Assert.Equal(2, done.Value);
        Assert.Equal(ExposureState.Dismissed, (await ReloadAsync(b.Id)).Exposure.State);
        Assert.Equal(3, (await _h.AuditAsync("exposure.dismissed")).Count);
    }

    [Fact]
    public async Task Reopening_a_dismissed_exposure_makes_it_open_again_without_its_erased_escrow()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await ExposureWithEscrowAsync(token, _h.Clock.GetUtcNow().AddHours(-5));
        await Service.DismissAsync(As(_analyst), [exposure.Id], "false_positive", null, null);
        _h.Clock.Advance(TimeSpan.FromHours(1));

        var result = await Service.ReopenAsync(As(_analyst), exposure.Id);

        Assert.True(result.Succeeded, result.Message);
        var (stored, storedToken) = await ReloadAsync(exposure.Id);
        Assert.Equal(ExposureState.Open, stored.State);
        Assert.Null(stored.DismissedAt);
        Assert.Null(stored.DismissalReason);
        Assert.Null(stored.Escrow);
        Assert.Equal(TokenStatus.Exposed, storedToken.Status);
        Assert.Equal(1, (await _h.MetricsAsync()).Exposures.Open);
        Assert.Equal(Outcome.Conflict, (await Service.ReopenAsync(As(_analyst), exposure.Id)).Outcome);
        Assert.Equal(Outcome.NotFound, (await Service.ReopenAsync(As(_analyst), 424242)).Outcome);
    }

    [Fact]
    public async Task An_exposure_of_a_token_with_a_newer_open_exposure_is_not_reopened()
    {
        var token = await _h.TokenAsync(_ada);
        var old = await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddDays(-5));
        await Service.DismissAsync(As(_analyst), [old.Id], "false_positive", null, null);
        await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddHours(-1));

        var refused = await Service.ReopenAsync(As(_analyst), old.Id);

        Assert.Equal(Outcome.Conflict, refused.Outcome);
        Assert.Contains("another open exposure", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_a_revocation_remediates_at_that_time_with_the_owners_rule()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await ExposureWithEscrowAsync(token, _h.Clock.GetUtcNow().AddHours(-10));
        var before = await _h.MetricsAsync();

        Assert.Equal(Outcome.Invalid, (await Service.RecordRevocationAsync(As(_analyst), token.Id, RevocationKind.Revoked, _h.Clock.GetUtcNow().AddHours(1))).Outcome);
        var result = await Service.RecordRevocationAsync(As(_analyst), token.Id, RevocationKind.Rotated, _h.Clock.GetUtcNow().AddHours(-4));

        Assert.True(result.Succeeded, result.Message);
        var (stored, storedToken) = await ReloadAsync(exposure.Id);
        Assert.Equal(ExposureState.Remediated, stored.State);
        Assert.Equal(_h.Clock.GetUtcNow().AddHours(-4), stored.RemediatedAt);
        Assert.Null(stored.Escrow);
        Assert.Equal(TokenStatus.Revoked, storedToken.Status);
        Assert.Equal("rotated, recorded by an analyst", storedToken.RevocationNote);
        var after = await _h.MetricsAsync();
        Assert.Equal(before.TimeToRemediate.Count + 1, after.TimeToRemediate.Count);
        Assert.Equal(6, after.TimeToRemediate.MedianHours);
        Assert.Single(await _h.AuditAsync("token.rotated"));
    }

    [Fact]
    public async Task Notes_are_audit_events_read_back_per_exposure()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddHours(-1));

        Assert.Equal(Outcome.Invalid, (await Service.AddNoteAsync(As(_analyst), exposure.Id, "   ")).Outcome);
        Assert.Equal(Outcome.Invalid, (await Service.AddNoteAsync(As(_analyst), exposure.Id, new string('x', TriageRules.MaxNote + 1))).Outcome);
        Assert.Equal(Outcome.NotFound, (await Service.AddNoteAsync(As(_analyst), 999999, "lost")).Outcome);
        var pasted = await Service.AddNoteAsync(As(_analyst), exposure.Id, "Still works: hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345 in prod");
        Assert.Equal(Outcome.Invalid, pasted.Outcome);
        Assert.Contains("must not contain a token's value", pasted.Message, StringComparison.Ordinal);
        Assert.Equal(Outcome.Invalid, (await Service.DismissAsync(As(_analyst), [exposure.Id], "used_in_tests", null, "ghp_0123456789abcdefghijABCDEFGHIJ0123")).Outcome);
        Assert.True((await Service.AddNoteAsync(As(_analyst), exposure.Id, "Asked Ada to rotate it.")).Succeeded);
        Assert.DoesNotContain(await _h.AuditAsync(), e => (e.After ?? "").Contains("hf_AbCdEf", StringComparison.Ordinal) || (e.After ?? "").Contains("ghp_0123", StringComparison.Ordinal));

        var note = Assert.Single(await Service.NotesAsync(token.Id));
        Assert.Equal(exposure.Id, note.ExposureId);
        Assert.Equal("Asked Ada to rotate it.", note.Text);
        Assert.Equal(_analyst.Email, note.Author);
        await _h.AssertAuditChainIntactAsync();
    }

    private async Task<Token> ReloadTokenAsync(int id)
    {
        await using var db = _h.Db();
        return await db.Tokens.AsNoTracking().SingleAsync(t => t.Id == id);
    }
}
