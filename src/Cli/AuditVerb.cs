using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Cli;

/// <summary>audit verify: 0 when the hash chain is intact, 3 naming the first broken event.</summary>
public static class AuditVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        if (ctx.Args.Positionals is not ["verify"]) throw new VerbUsageException("usage: audit verify");
        var factory = ctx.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var broken = await AuditTrail.VerifyAsync(db);
        if (broken is null)
        {
            await ctx.Out.WriteLineAsync($"Audit trail intact: {await db.AuditEvents.CountAsync()} events.");
            return 0;
        }
        await ctx.Out.WriteLineAsync($"Audit trail BROKEN at event {broken.EventId}: {broken.Description}");
        return 3;
    }
}
