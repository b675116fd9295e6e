namespace GovernanceDashboard.Cli;

/// <summary>metrics [--as-of ISO-8601] [--from ISO-8601] [--team NAME] [--json]</summary>
public static class MetricsVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        var metrics = await ctx.Services.GetRequiredService<MetricsService>().ComputeAsync(ctx.Args.Instant("as-of"), ctx.Args.Instant("from"), ctx.Args.Option("team"));
        if (ctx.Args.Flag("json"))
        {
            await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(metrics, JsonFormat.Options));
            return 0;
        }
        await ctx.Out.WriteLineAsync($"As of {metrics.AsOf:u}");
        await ctx.Out.WriteLineAsync($"Tokens: {metrics.Tokens.Total} ({metrics.Tokens.Active} active)");
        await ctx.Out.WriteLineAsync($"Owner coverage: {Percent(metrics.OwnerCoverage.Ratio)} ({metrics.OwnerCoverage.Owned}/{metrics.OwnerCoverage.Active}, {metrics.OwnerCoverage.Orphaned} orphaned)");
        await ctx.Out.WriteLineAsync($"Write-scope ratio: {Percent(metrics.WriteScope.Ratio)}; justified: {Percent(metrics.WriteScope.JustifiedRatio)}; unknown: {metrics.WriteScope.Unknown}");
        await ctx.Out.WriteLineAsync($"Exposures: {metrics.Exposures.Open} open ({metrics.Exposures.Breached} past SLA), {metrics.Exposures.Remediated} remediated, {metrics.Exposures.Dismissed} dismissed");
        await ctx.Out.WriteLineAsync($"Time to remediate: median {Hours(metrics.TimeToRemediate.MedianHours)}, p90 {Hours(metrics.TimeToRemediate.P90Hours)}, within SLA {Percent(metrics.TimeToRemediate.WithinSlaRatio)}");
        return 0;
    }

    private static string Percent(double? ratio) => ratio is { } r ? $"{r:P1}" : "n/a";

    private static string Hours(double? hours) => hours is { } h ? $"{h:0.#} h" : "n/a";
}
