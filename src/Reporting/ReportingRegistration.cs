namespace GovernanceDashboard.Reporting;

/// <summary>Registers the management report and its mailing schedule.</summary>
public static class ReportingRegistration
{
    public static IHostApplicationBuilder AddGovernanceReporting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ManagementReports>();
        builder.Services.AddSingleton<ReportMailer>();
        return builder;
    }

    /// <summary>Mails the scheduled report when due (the dashboard only).</summary>
    public static IHostApplicationBuilder AddReportSchedule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLedSchedule<ReportMailer>();
        return builder;
    }
}
