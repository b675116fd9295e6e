namespace GovernanceDashboard.Cli;

/// <summary>reach [--token ID] [--json]: reads what one token (or, without --token, one pass of the due live write tokens) can write,
/// and scores it. Exit 0 read in full, 2 the token cannot be enriched (not write-capable, no escrowed value, platform without an API,
/// refused by the platform), 1 other failure (unknown id, rate limit or platform failure: what was read is kept).</summary>
public static class ReachVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        var service = ctx.Services.GetRequiredService<BlastRadiusService>();
        var actor = ctx.Args.Option("as") ?? "cli:" + Environment.UserName;
        if (ctx.Args.Option("token") is not { } text)
        {
            var count = await service.RunPassAsync(actor);
            if (ctx.Args.Flag("json")) await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(new { enriched = count }, JsonFormat.Options));
            else await ctx.Out.WriteLineAsync($"{count} token(s) enriched.");
            return 0;
        }
        var id = RevokeVerb.ParseId(text, "token");
        var result = await service.EnrichAsync(id, actor);
        if (ctx.Args.Flag("json")) await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(result, JsonFormat.Options));
        else await ctx.Out.WriteLineAsync($"Token {id}: {result.Message}");
        return result.Outcome switch
        {
            ReachOutcome.Enriched => 0,
            ReachOutcome.NotEnrichable or ReachOutcome.Invalid => 2,
            _ => 1,
        };
    }
}
