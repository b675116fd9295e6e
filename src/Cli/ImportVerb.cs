namespace GovernanceDashboard.Cli;

/// <summary>import FILE [--format ID] [--scanned-at ISO-8601] [--json]</summary>
public static class ImportVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        await ctx.Error.WriteLineAsync("import: not yet available.");
        return 1;
    }
}
