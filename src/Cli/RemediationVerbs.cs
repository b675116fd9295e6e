namespace GovernanceDashboard.Cli;

/// <summary>revoke --exposure ID [--as EMAIL] [--json]: queues the exposure's token and, as the command line has no worker, sends it
/// at once through the same code. Exit 0 requested (the platform accepted it), 2 not revocable through an API (the reason is
/// printed), 1 other failure (already closed, unknown id, or the platform failed: the request stays queued for the dashboard).</summary>
public static class RevokeVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        var id = ParseId(ctx.Args.Required("exposure"), "exposure");
        var actor = new Actor(Actor.NoPerson, ctx.Args.Option("as") ?? "cli:" + Environment.UserName, Roles.Analyst);
        var revocations = ctx.Services.GetRequiredService<RevocationService>();
        var result = (await revocations.RequestAsync(actor, [id]))[0];
        switch (result.Outcome)
        {
            case RevokeOutcome.NotRevocable:
                await ctx.Error.WriteLineAsync($"revoke: exposure {id} cannot be revoked through the platform's API: {result.Message}");
                return 2;
            case RevokeOutcome.Queued or RevokeOutcome.AlreadyRequested:
                break;
            default:
                await ctx.Error.WriteLineAsync($"revoke: exposure {id}: {result.Message}");
                return 1;
        }
        if (result.RequestId is { } requestId)
            await revocations.SendDueAsync(ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow(), [requestId]);
        var status = (await revocations.StatusOfAsync([id])).GetValueOrDefault(id);
        var state = status?.State ?? "none";
        if (ctx.Args.Flag("json"))
            await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(new { exposureId = id, requestId = result.RequestId, state, lastError = status?.LastError }, JsonFormat.Options));
        else
            await ctx.Out.WriteLineAsync(state == "requested"
                ? $"Exposure {id}: revocation requested from the platform at {status!.SentAt:yyyy-MM-dd HH:mm:ss} UTC."
                : $"Exposure {id}: revocation {state}{(status?.LastError is { } e ? ": " + e : "")}; the dashboard retries it.");
        return state == "requested" ? 0 : 1;
    }

    internal static int ParseId(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new VerbUsageException($"--{name} must be a positive integer id.");
}

/// <summary>validate --token ID [--json]: checks the token's escrowed value against its platform. Exit 0 checked (valid or invalid; an
/// invalid token's open exposure is remediated), 2 cannot be checked (validation off, no escrowed value, platform without an API),
/// 1 other failure (unknown id, platform failure, rate limit).</summary>
public static class ValidateVerb
{
    public static async Task<int> RunAsync(VerbContext ctx)
    {
        var id = RevokeVerb.ParseId(ctx.Args.Required("token"), "token");
        var result = await ctx.Services.GetRequiredService<TokenValidationService>().CheckAsync(id, ctx.Args.Option("as") ?? "cli:" + Environment.UserName);
        if (ctx.Args.Flag("json")) await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(result, JsonFormat.Options));
        else await ctx.Out.WriteLineAsync($"Token {id}: {result.Message}{(result.Account is { } a ? $" Account: {a}." : "")}");
        return result.Outcome switch
        {
            CheckOutcome.Checked => 0,
            CheckOutcome.Disabled or CheckOutcome.NotCheckable => 2,
            _ => 1,
        };
    }
}
