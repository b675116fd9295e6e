using GovernanceDashboard.Workflows.Approvals;
using GovernanceDashboard.Workflows.Attestations;
using GovernanceDashboard.Workflows.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The dashboard runs every workflow schedule, each as the same instance the services resolve (so RunOnceAsync is the scheduled work).</summary>
public class WorkflowRegistrationTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    [Fact]
    public void The_dashboard_hosts_grant_expiry_escalation_reminders_risk_expiry_sla_breaches_and_mail()
    {
        var hosted = app.Factory.Services.GetServices<IHostedService>().ToList();

        Assert.Contains(app.Factory.Services.GetRequiredService<GrantExpiryService>(), hosted);
        Assert.Contains(app.Factory.Services.GetRequiredService<RequestEscalationService>(), hosted);
        Assert.Contains(app.Factory.Services.GetRequiredService<AttestationReminderService>(), hosted);
        Assert.Contains(app.Factory.Services.GetRequiredService<SmtpOutboxSender>(), hosted);
        Assert.Contains(app.Factory.Services.GetRequiredService<GovernanceDashboard.Workflows.Remediation.RiskAcceptanceExpiryService>(), hosted);
        Assert.Contains(app.Factory.Services.GetRequiredService<GovernanceDashboard.Workflows.Remediation.SlaBreachService>(), hosted);
    }
}
