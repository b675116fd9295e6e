using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Workflows;
using GovernanceDashboard.Workflows.Notifications;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Workflows.WorkflowHarness;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The periodic side of triage, driven by a manual clock on a real store: accepted risks reopen, SLA breaches are told once.</summary>
public class TriageScheduleTests : IAsyncLifetime
{
    private WorkflowHarness _h = default!;
    private Person _boss = default!, _ada = default!, _analyst = default!, _admin = default!;

    public async Task InitializeAsync()
    {
        _h = await StartAsync();
        _boss = await _h.PersonAsync("boss");
        _ada = await _h.PersonAsync("ada", manager: _boss);
        _analyst = await _h.PersonAsync("analyst", Roles.Analyst);
        _admin = await _h.PersonAsync("admin", Roles.Admin);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<Exposure> ReloadAsync(int id)
    {
        await using var db = _h.Db();
        return await db.Exposures.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    [Fact]
    public async Task An_accepted_risk_reopens_by_itself_when_it_expires_and_not_before()
    {
        var token = await _h.TokenAsync(_ada);
        var exposure = await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddHours(-2));
        var until = _h.Clock.GetUtcNow().AddDays(7);
        var dismissed = await _h.Get<TriageService>().DismissAsync(As(_analyst), [exposure.Id], "risk_accepted", until, "Service account, rotation planned.");
        Assert.True(dismissed.Succeeded, dismissed.Message);
        Assert.Equal(0, (await _h.MetricsAsync()).Exposures.Open);
        var service = _h.Get<RiskAcceptanceExpiryService>();

        Assert.Equal(0, await service.RunOnceAsync(until.AddMinutes(-1)));
        Assert.Equal(ExposureState.Dismissed, (await ReloadAsync(exposure.Id)).State);

        _h.Clock.SetUtcNow(until.AddMinutes(1));
        Assert.Equal(1, await service.RunOnceAsync(_h.Clock.GetUtcNow()));

        var stored = await ReloadAsync(exposure.Id);
        Assert.Equal(ExposureState.Open, stored.State);
        Assert.Null(stored.DismissedUntil);
        Assert.Equal(1, (await _h.MetricsAsync()).Exposures.Open);
        Assert.Single(await _h.NotificationsAsync(_ada, NotificationKinds.RiskAcceptanceExpired));
        Assert.Single(await _h.NotificationsAsync(_analyst, NotificationKinds.RiskAcceptanceExpired));
        Assert.Single(await _h.AuditAsync("exposure.risk.expired"));
        Assert.Equal(0, await service.RunOnceAsync(_h.Clock.GetUtcNow().AddDays(1)));
        await _h.AssertAuditChainIntactAsync();
    }

    [Fact]
    public async Task A_breached_exposure_is_told_once_to_owner_manager_and_analysts_even_across_a_restart()
    {
        var token = await _h.TokenAsync(_ada);
        // High: 72 h SLA. Detected 71 h ago: not yet breached.
        var exposure = await _h.ExposureAsync(token, _h.Clock.GetUtcNow().AddHours(-71), Severity.High);
        var quiet = await _h.ExposureAsync(await _h.TokenAsync(_ada), _h.Clock.GetUtcNow().AddHours(-100), Severity.Low);

        Assert.Equal(0, await _h.Get<SlaBreachService>().RunOnceAsync(_h.Clock.GetUtcNow()));
        _h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await _h.Get<SlaBreachService>().RunOnceAsync(_h.Clock.GetUtcNow()));

        // A new host on the same store is what a restart is: it must not tell anyone again.
        await using (var restarted = await WorkflowHarnessOnSameStore())
            Assert.Equal(0, await restarted.RunOnceAsync(_h.Clock.GetUtcNow().AddHours(1)));

        Assert.Equal(_h.Clock.GetUtcNow(), (await ReloadAsync(exposure.Id)).SlaBreachNotifiedAt);
        Assert.Null((await ReloadAsync(quiet.Id)).SlaBreachNotifiedAt);
        var told = Assert.Single(await _h.NotificationsAsync(_ada, NotificationKinds.SlaBreached));
        Assert.Contains(token.Mask, told.Subject, StringComparison.Ordinal);
        Assert.Single(await _h.NotificationsAsync(_boss, NotificationKinds.SlaBreached));
        Assert.Single(await _h.NotificationsAsync(_analyst, NotificationKinds.SlaBreached));
        Assert.Single(await _h.NotificationsAsync(_admin, NotificationKinds.SlaBreached));
    }

    [Fact]
    public async Task A_dismissed_or_remediated_exposure_is_never_told_as_breached()
    {
        var dismissed = await _h.ExposureAsync(await _h.TokenAsync(_ada), _h.Clock.GetUtcNow().AddDays(-10), Severity.Critical);
        await _h.Get<TriageService>().DismissAsync(As(_analyst), [dismissed.Id], "used_in_tests", null, null);

        Assert.Equal(0, await _h.Get<SlaBreachService>().RunOnceAsync(_h.Clock.GetUtcNow()));
        Assert.Empty(await _h.NotificationsAsync(_ada, NotificationKinds.SlaBreached));
    }

    /// <summary>The SLA service of a second host started on this test's store and clock.</summary>
    private async Task<RestartedHost> WorkflowHarnessOnSameStore()
    {
        var host = await Infrastructure.TestHost.StartAsync(_h.Store, null, _h.Clock);
        return new RestartedHost(host);
    }

    private sealed class RestartedHost(Microsoft.Extensions.Hosting.IHost host) : IAsyncDisposable
    {
        public Task<int> RunOnceAsync(DateTimeOffset now) =>
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SlaBreachService>(host.Services).RunOnceAsync(now);

        public ValueTask DisposeAsync()
        {
            host.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
