namespace GovernanceDashboard.Cli;

/// <summary>seed-demo: fills an empty store with the demo organisation; exit 2 if the store is not empty.</summary>
public static class SeedDemoVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        var result = await ctx.Services.GetRequiredService<DemoSeeder>().SeedAsync();
        if (result is null)
        {
            await ctx.Error.WriteLineAsync("seed-demo: the store is not empty; nothing was written.");
            return 2;
        }
        await ctx.Out.WriteLineAsync($"Seeded the demo organisation: {result.People} people, {result.Tokens} tokens, {result.Exposures} exposures.");
        return 0;
    }
}
