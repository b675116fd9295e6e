namespace GovernanceDashboard.Cli;

/// <summary>apikey create --person EMAIL --name NAME: prints the key once; only its hash is stored. An operator's tool,
/// run on the server: the only way to make a key that acts as someone other than its creator (the app makes keys for the
/// signed-in person only).</summary>
public static class ApiKeyVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        if (ctx.Args.Positionals is not ["create"]) throw new VerbUsageException("usage: apikey create --person EMAIL --name NAME");
        var factory = ctx.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        var created = await ApiKeys.CreateAsync(factory, ctx.Args.Required("person"), ctx.Args.Required("name"), actor: "cli");
        if (created is null)
        {
            await ctx.Error.WriteLineAsync($"apikey: no active person {ctx.Args.Required("person")} in the directory.");
            return 1;
        }
        await ctx.Out.WriteLineAsync(created.Key);
        await ctx.Error.WriteLineAsync($"API key '{created.Name}' (id {created.Id}) acts as {created.PersonEmail}. Store it now: it is not shown again.");
        return 0;
    }
}
