namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Registers revocation and validation: the platform clients and services everywhere, the workers in the dashboard only.</summary>
public static class RemediationRegistration
{
    public static IHostApplicationBuilder AddGovernanceRemediation(this IHostApplicationBuilder builder)
    {
        // A typo in the policy must stop the start, not silently turn automatic revocation off.
        foreach (var key in new[] { "Remediation:AutoRevoke:HuggingFace", "Remediation:AutoRevoke:GitHub" })
        {
            try
            {
                AutoRevokePolicy.Parse(builder.Configuration[key]);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"{key}: {ex.Message}", ex);
            }
        }
        builder.AddPlatformClients();
        builder.Services.Configure<RemediationOptions>(builder.Configuration.GetSection("Remediation"));
        builder.Services.AddSingleton<RevocationSignal>();
        builder.Services.AddSingleton<RevocationService>();
        builder.Services.AddSingleton<TokenValidationService>();
        return builder;
    }

    /// <summary>The sender of queued revocations and the periodic validation pass run in the dashboard process (in the one instance
    /// holding the workflow lead), not in command-line verbs.</summary>
    public static IHostApplicationBuilder AddRemediationWorkers(this IHostApplicationBuilder builder)
    {
        // One instance sends revocations and validates (src/Workflows/LedHostedService.cs).
        builder.Services.AddLedHostedService<RevocationWorker>();
        builder.Services.AddLedHostedService<ValidationWorker>();
        return builder;
    }
}
