using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>Signal 2 end to end: an owner asks for write scope, another person approves it, the grant and the figure follow.</summary>
public class WriteScopeFlowTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private sealed record Candidate(int TokenId, string Mask, string Owner, string Approver);

    [Fact]
    public async Task An_owner_requests_write_scope_an_approver_approves_and_the_token_and_the_justified_figure_follow()
    {
        var candidate = await PickAsync();
        var before = await JustifiedRatioAsync();

        // The approver (another local identity, in its own browser context) reads the figure first.
        var approver = await app.SignedInPageAsync(candidate.Approver);
        var signal = approver.Locator("[data-testid=signal-write-ratio]");
        await Assertions.Expect(signal).ToContainTextAsync($"{Percent(before)} justified");

        // The owner asks from My tokens.
        var owner = await app.SignedInPageAsync(candidate.Owner);
        await owner.GotoAsync("/my-tokens");
        await BrowserApp.WaitForCircuitAsync(owner);
        await Assertions.Expect(owner.Locator($"[data-testid=justification-{candidate.TokenId}]")).ToContainTextAsync("unjustified write");
        await owner.ClickAsync($"[data-testid=request-write-{candidate.TokenId}]");
        var dialog = owner.Locator(".mud-dialog");
        await dialog.Locator("textarea").First.FillAsync("Publishes the evaluation datasets from the nightly pipeline.");
        await dialog.Locator("[data-testid=submit-request]").ClickAsync();
        await Assertions.Expect(owner.Locator($"[data-testid=justification-{candidate.TokenId}]")).ToContainTextAsync("request pending");
        var requestId = await PendingRequestAsync(candidate.TokenId);

        // The approver decides on "To approve".
        await approver.GotoAsync("/approvals");
        await BrowserApp.WaitForCircuitAsync(approver);
        await approver.GetByRole(AriaRole.Tab, new() { Name = "To approve" }).ClickAsync();
        await approver.ClickAsync($"[data-testid=decide-{requestId}]");
        var decision = approver.Locator(".mud-dialog");
        await Assertions.Expect(decision).ToContainTextAsync(candidate.Mask);
        await decision.Locator("textarea").First.FillAsync("Limited to the datasets organisation.");
        await decision.Locator("[data-testid=approve]").ClickAsync();
        await Assertions.Expect(approver.Locator(".mud-snackbar")).ToContainTextAsync("Request approved");
        await Assertions.Expect(approver.Locator($"[data-testid=decide-{requestId}]")).ToHaveCountAsync(0);

        // The owner's token shows the grant.
        await owner.ReloadAsync();
        await BrowserApp.WaitForCircuitAsync(owner);
        await Assertions.Expect(owner.Locator($"[data-testid=grant-{candidate.TokenId}]")).ToContainTextAsync("write justified until");

        // The justified-write figure moved by this one token.
        var after = await JustifiedRatioAsync();
        Assert.True(after > before, $"justified ratio {before} -> {after}");
        await approver.GotoAsync("/");
        await BrowserApp.WaitForCircuitAsync(approver);
        await Assertions.Expect(signal).ToContainTextAsync($"{Percent(after)} justified");
        Assert.NotEqual(Percent(before), Percent(after));
    }

    /// <summary>An owner without roles with an active write-capable token that no grant or request justifies, and an approver who is someone else.</summary>
    private async Task<Candidate> PickAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var token = await db.Tokens.AsNoTracking()
            .Where(t => t.WriteCapability == WriteCapability.Write && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now)
                && t.Owner != null && t.Owner.Active && t.Owner.Roles == Roles.None && t.Owner.ManagerEmail != null
                && !db.WriteScopeGrants.Any(g => g.TokenId == t.Id && g.ExpiresAt > now)
                && !db.WriteScopeRequests.Any(r => r.TokenId == t.Id && r.Status == RequestStatus.Pending))
            .OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.Mask, t.Owner!.Email, t.Owner.ManagerEmail })
            .FirstAsync();
        return new Candidate(token.Id, token.Mask, token.Email, token.ManagerEmail!);
    }

    private async Task<int> PendingRequestAsync(int tokenId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        return await db.WriteScopeRequests.Where(r => r.TokenId == tokenId && r.Status == RequestStatus.Pending).Select(r => r.Id).SingleAsync();
    }

    private async Task<double> JustifiedRatioAsync() =>
        (await app.Services.GetRequiredService<MetricsService>().ComputeAsync()).WriteScope.JustifiedRatio!.Value;

    /// <summary>As the dashboard writes a ratio (Components/Shared/Format.Percent).</summary>
    private static string Percent(double ratio) => GovernanceDashboard.Components.Shared.Format.Percent(ratio);
}
