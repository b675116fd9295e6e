using System.Text.Json;
using GovernanceDashboard.Values;
using GovernanceDashboard.Platforms.GitHubApp;
using GovernanceDashboard.Sync;

namespace GovernanceDashboard.Cli;

/// <summary>sync alerts [--org NAME] [--json]: pulls GitHub's secret scanning alerts now, through the same ingestion as an uploaded
/// alerts file. Exit 0 pulled, 2 GitHub refused the configuration or it is incomplete (GitHub's reason is printed), 1 other failure
/// (GitHub unreachable or rate limited: nothing is lost, the next pull catches up).</summary>
public static class SyncVerb
{
    public static Task<int> RunAsync(VerbContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Args.Positionals is not ["alerts"]) throw new VerbUsageException("expected \"sync alerts\".");
        return AlertsAsync(ctx.Services, ctx.Args.Option("org"), ctx.Args.Flag("json"), ctx.Out, ctx.Error, CancellationToken.None);
    }

    /// <summary>The verb's work, callable by any argument parser.</summary>
    public static async Task<int> AlertsAsync(IServiceProvider services, string? organization, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var results = await services.GetRequiredService<AlertPuller>().PullAsync(organization, ct);
            if (json) await output.WriteLineAsync(JsonSerializer.Serialize(new { organizations = results }, JsonFormat.Options));
            else
                foreach (var r in results)
                    await output.WriteLineAsync($"{r.Organization}: {r.Pages} page(s), {r.AlertsRead} alert(s) read, {r.AlertsIngested} new or updated; "
                        + $"{r.TokensNew} new token(s), {r.OccurrencesNew} new occurrence(s), {r.ExposuresOpened} exposure(s) opened, {r.ExposuresClosed} closed.");
            return 0;
        }
        catch (GitHubConfigurationException ex)
        {
            await error.WriteLineAsync($"sync alerts: {ex.Message}");
            return 2;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"sync alerts: {ex.Message}");
            return 2;
        }
        catch (GitHubRateLimitedException ex)
        {
            await error.WriteLineAsync($"sync alerts: {ex.Message}");
            return 1;
        }
    }
}
