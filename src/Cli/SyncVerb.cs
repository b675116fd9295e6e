namespace GovernanceDashboard.Cli;

/// <summary>sync alerts [--org NAME] [--json]: pulls GitHub's secret scanning alerts now, through the same ingestion as an uploaded
/// alerts file. Exit 0 pulled, 2 GitHub refused the configuration or it is incomplete (GitHub's reason is printed), 1 other failure
/// (GitHub unreachable or rate limited: nothing is lost, the next pull catches up).
/// sync github [--org NAME] [--json]: syncs the organisations' fine-grained PATs, PAT requests and credential authorisations now and
/// prints what changed (new, changed, gone); the same exit codes.</summary>
public static class SyncVerb
{
    public static Task<int> RunAsync(VerbContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Args.Positionals is ["github"]) return GitHubAsync(ctx.Services, ctx.Args.Option("org"), ctx.Args.Flag("json"), ctx.Out, ctx.Error, CancellationToken.None);
        if (ctx.Args.Positionals is not ["alerts"]) throw new VerbUsageException("expected \"sync alerts\" or \"sync github\".");
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

    /// <summary><c>sync github</c>'s work, callable by any argument parser.</summary>
    public static async Task<int> GitHubAsync(IServiceProvider services, string? organization, bool json, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var results = await services.GetRequiredService<GitHubOrgSync>().SyncAsync(organization, ct);
            if (json) await output.WriteLineAsync(JsonSerializer.Serialize(new { organizations = results }, JsonFormat.Options));
            else
                foreach (var r in results)
                {
                    await output.WriteLineAsync($"{r.Organization}: {r.Tokens.Listed} fine-grained token(s) listed; {r.New} new, {r.Changed} changed, {r.Gone} gone; "
                        + $"{r.Requests.Pending} pending request(s), {r.Requests.Queued} put in the approval queue, {r.Requests.AutoApproved} approved automatically; "
                        + $"{r.CredentialAuthorizations.Linked} credential authorisation(s) linked; {r.DecisionsSent} decision(s) and {r.RevocationsSent} revocation(s) sent.");
                    foreach (var c in r.Tokens.Changes)
                        await output.WriteLineAsync($"  {c.Change,-8} {c.Mask} (owner {c.Owner}) at {c.At:u}");
                }
            return 0;
        }
        catch (Exception ex) when (ex is GitHubConfigurationException or ArgumentException)
        {
            await error.WriteLineAsync($"sync github: {ex.Message}");
            return 2;
        }
        catch (GitHubRateLimitedException ex)
        {
            await error.WriteLineAsync($"sync github: {ex.Message}");
            return 1;
        }
    }
}
