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
        builder.Services.AddSingleton<StoreWorkflowDependencies>();
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
        builder.Services.AddLedSchedule<GrantExpiryService>();
        builder.Services.AddLedSchedule<RequestEscalationService>();
        builder.Services.AddLedSchedule<AttestationReminderService>();
        builder.Services.AddLedSchedule<SmtpOutboxSender>();
        builder.Services.AddLedSchedule<RiskAcceptanceExpiryService>();
        builder.Services.AddLedSchedule<SlaBreachService>();
        return builder;
    }
}
