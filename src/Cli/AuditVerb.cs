namespace GovernanceDashboard.Cli;

/// <summary>audit verify: prints the head anchored outside the database; 0 when the keyed chain is intact and reaches the
/// head, 3 naming the first broken event (edited, recomputed without the key, deleted, or the newest ones cut off).</summary>
public static class AuditVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        if (ctx.Args.Positionals is not ["verify"]) throw new VerbUsageException("usage: audit verify");
        var factory = ctx.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var broken = await AuditTrail.VerifyAsync(db);
        // The head anchored outside the database: compare it with a copy kept elsewhere (a backup, a ticket) to notice a
        // store and head replaced together.
        var chain = ctx.Services.GetRequiredService<AuditChain>();
        await ctx.Out.WriteLineAsync(chain.ReadHead() is { } head
            ? $"Head ({chain.HeadPath}): event {head.Seq}, hash {head.Hash}"
            : $"Head ({chain.HeadPath}): missing");
        if (broken is null)
        {
            await ctx.Out.WriteLineAsync($"Audit trail intact: {await db.AuditEvents.CountAsync()} events.");
            return 0;
        }
        await ctx.Out.WriteLineAsync($"Audit trail BROKEN at event {broken.EventId}: {broken.Description}");
        return 3;
    }
}
