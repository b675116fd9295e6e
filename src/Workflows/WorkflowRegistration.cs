using GovernanceDashboard.Workflows.Approvals;
using GovernanceDashboard.Workflows.Attestations;
using GovernanceDashboard.Workflows.Notifications;
using GovernanceDashboard.Workflows.Ownership;
using GovernanceDashboard.Workflows.Remediation;

namespace GovernanceDashboard.Workflows;

/// <summary>Registers the workflows (approvals, ownership, attestations, triage, notifications) and their schedules.</summary>
public static class WorkflowRegistration
{
    /// <summary>The services, usable without a web host (command line, tests); the periodic ones are not started here.</summary>
    public static IHostApplicationBuilder AddGovernanceWorkflows(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<WorkflowScheduleOptions>(builder.Configuration.GetSection("Workflows"));
        builder.Services.Configure<SmtpOptions>(builder.Configuration.GetSection("Smtp"));
        builder.Services.AddSingleton<Notifier>();
        builder.Services.AddSingleton<WriteScopeService>();
        builder.Services.AddSingleton<OwnershipService>();
        builder.Services.AddSingleton<OwnershipRules>();
        builder.Services.AddSingleton<AttestationService>();
        builder.Services.AddSingleton<GrantExpiryService>();
        builder.Services.AddSingleton<RequestEscalationService>();
        builder.Services.AddSingleton<AttestationReminderService>();
        builder.Services.AddSingleton<SmtpOutboxSender>();
        builder.Services.AddSingleton<TriageService>();
        builder.Services.AddSingleton<RiskAcceptanceExpiryService>();
        builder.Services.AddSingleton<SlaBreachService>();
        return builder;
    }

    /// <summary>Runs grant expiry, request escalation, attestation reminders, risk-acceptance expiry, SLA breaches and mail on their timers (the dashboard only).</summary>
    public static IHostApplicationBuilder AddWorkflowSchedules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService(sp => LedBy(sp, sp.GetRequiredService<GrantExpiryService>()));
        builder.Services.AddHostedService(sp => LedBy(sp, sp.GetRequiredService<RequestEscalationService>()));
        builder.Services.AddHostedService(sp => LedBy(sp, sp.GetRequiredService<AttestationReminderService>()));
        builder.Services.AddHostedService(sp => LedBy(sp, sp.GetRequiredService<SmtpOutboxSender>()));
        builder.Services.AddHostedService(sp => LedBy(sp, sp.GetRequiredService<RiskAcceptanceExpiryService>()));
        builder.Services.AddHostedService(sp => LedBy(sp, sp.GetRequiredService<SlaBreachService>()));
        return builder;
    }

    // Several instances on one PostgreSQL store: only the elected one runs the rounds (src/Data/WorkflowLeader.cs).
    private static T LedBy<T>(IServiceProvider services, T service) where T : PeriodicWorkflowService
    {
        service.Leader = services.GetRequiredService<Data.WorkflowLeader>();
        return service;
    }
}
