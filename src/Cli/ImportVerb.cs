namespace GovernanceDashboard.Cli;

/// <summary>import FILE [--format ID] [--scanned-at ISO-8601] [--json] [--as EMAIL]: exit 0 imported, 2 file rejected (nothing written), 1 other failure.</summary>
public static class ImportVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        if (ctx.Args.Positionals is not [var path]) throw new VerbUsageException("usage: import FILE [--format ID] [--scanned-at ISO-8601] [--json]");
        if (!File.Exists(path))
        {
            await ctx.Error.WriteLineAsync($"import: no such file: {path}");
            return 1;
        }
        var request = new ImportRequest(path, ctx.Args.Option("format"), ctx.Args.Instant("scanned-at"), ctx.Args.Option("as") ?? "cli:" + Environment.UserName)
        {
            // The command line runs on the server, by its operator: directory files are theirs to import.
            MayChangeDirectory = true,
        };
        var json = ctx.Args.Flag("json");
        // Progress goes to standard error, so standard output stays the summary alone.
        var progress = new Progress<ImportProgress>(p => ctx.Error.WriteLine($"progress: {p.Records} records, {p.Fraction:P0}"));
        try
        {
            var summary = await ctx.Services.GetRequiredService<ImportService>().ImportFileAsync(path, request, progress);
            if (json)
            {
                await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(summary, JsonFormat.Options));
            }
            else
            {
                await ctx.Out.WriteLineAsync($"Import {summary.ImportId} ({summary.Format}): {summary.Message}");
                foreach (var r in summary.Rejected) await ctx.Out.WriteLineAsync($"  rejected line {r.Line}: {r.Reason}");
            }
            return 0;
        }
        catch (ImportRejectedException ex)
        {
            if (json)
                await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(new { rejected = true, format = ex.Format, message = ex.Message, line = ex.Line }, JsonFormat.Options));
            await ctx.Error.WriteLineAsync($"import: file rejected, nothing written: {ex.Message}");
            return 2;
        }
    }
}
