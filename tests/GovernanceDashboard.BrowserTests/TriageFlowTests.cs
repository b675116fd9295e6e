using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>Triage end to end: an analyst gives an orphan token an owner and dismisses its exposure (the Overview's figures follow),
/// dismisses a selection of the Exposures list, and revokes another exposure through its platform (a stub answering 202).</summary>
public class TriageFlowTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private sealed record Candidate(int TokenId, string Mask, int ExposureId, string NewOwner);

    [Fact]
    public async Task An_analyst_assigns_an_owner_dismisses_exposures_one_and_in_bulk_revokes_another_and_the_overview_follows()
    {
        var candidate = await PickAsync();
        var before = await app.Services.GetRequiredService<MetricsService>().ComputeAsync();

        var page = await app.SignedInPageAsync("sec.analyst@acme.example");
        await page.GotoAsync($"/tokens/{candidate.TokenId}");
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=token-owner]")).ToContainTextAsync("No confirmed owner");

        // Assign the owner from the directory.
        await page.ClickAsync("[data-testid=assign-owner]");
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("input").First.FillAsync(candidate.NewOwner);
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = candidate.NewOwner }).First.ClickAsync();
        await dialog.Locator("[data-testid=submit-owner]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=token-owner]")).ToContainTextAsync(candidate.NewOwner);

        // Dismiss its open exposure as a false positive.
        await page.ClickAsync($"[data-testid=dismiss-{candidate.ExposureId}]");
        dialog = page.Locator(".mud-dialog");
        await dialog.GetByText("False positive (not a real secret)").ClickAsync();
        await dialog.Locator("[data-testid=submit-dismiss]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=token-exposures]")).ToContainTextAsync("Dismissed");
        await Assertions.Expect(page.Locator("[data-testid=token-exposures]")).ToContainTextAsync("false positive");
        await Assertions.Expect(page.Locator($"[data-testid=reopen-{candidate.ExposureId}]")).ToBeVisibleAsync();

        // The Overview counts one more owned token and one open exposure fewer.
        await page.GotoAsync("/");
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=signal-owner-coverage]"))
            .ToContainTextAsync($"{before.OwnerCoverage.Owned + 1} of {before.OwnerCoverage.Active} active tokens owned");
        await Assertions.Expect(page.Locator("[data-testid=signal-ttr]")).ToContainTextAsync($"{before.Exposures.Open - 1} open");
        var after = await app.Services.GetRequiredService<MetricsService>().ComputeAsync();
        Assert.Equal(before.OwnerCoverage.Owned + 1, after.OwnerCoverage.Owned);
        Assert.Equal(before.Exposures.Dismissed + 1, after.Exposures.Dismissed);

        // On the Exposures list, two selected rows are dismissed in one go.
        await page.GotoAsync("/exposures");
        await BrowserApp.WaitForCircuitAsync(page);
        var rows = page.Locator("[data-testid=open-exposures] tbody tr.mud-table-row");
        await rows.First.WaitForAsync();
        await rows.Nth(0).Locator(".mud-checkbox").ClickAsync();
        await rows.Nth(1).Locator(".mud-checkbox").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=bulk-actions]")).ToContainTextAsync("2 selected");
        await page.ClickAsync("[data-testid=bulk-dismiss]");
        dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("2 exposures");
        await dialog.GetByText("Used in tests (a test fixture, no access)").ClickAsync();
        await dialog.Locator("[data-testid=submit-dismiss]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("2 exposure(s) dismissed");
        var bulk = await app.Services.GetRequiredService<MetricsService>().ComputeAsync();
        Assert.Equal(after.Exposures.Dismissed + 2, bulk.Exposures.Dismissed);
        Assert.Equal(after.Exposures.Open - 2, bulk.Exposures.Open);

        // "Revoke now" on another row: the platform is called, the exposure is remediated at that time, and the Overview's
        // time to remediate counts it.
        var revocable = await RevocableAsync();
        await page.GotoAsync("/exposures");
        await BrowserApp.WaitForCircuitAsync(page);
        await page.ClickAsync($"[data-testid=revoke-{revocable}]");
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("requested");
        var remediatedAt = await WaitForRemediationAsync(revocable);
        Assert.Single(app.Platforms.Requests);
        var revoked = await app.Services.GetRequiredService<MetricsService>().ComputeAsync();
        Assert.Equal(bulk.TimeToRemediate.Count + 1, revoked.TimeToRemediate.Count);
        Assert.Equal(bulk.Exposures.Open - 1, revoked.Exposures.Open);
        Assert.True(remediatedAt > DateTimeOffset.UtcNow.AddMinutes(-5), "remediated at the call's time");
        await page.GotoAsync("/");
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=signal-ttr]")).ToContainTextAsync($"{revoked.Exposures.Open} open");
        await Assertions.Expect(page.Locator("[data-testid=signal-ttr]")).ToContainTextAsync(GovernanceDashboard.Components.Shared.Format.Hours(revoked.TimeToRemediate.MedianHours));
    }

    /// <summary>An open exposure of a Hugging Face user token with its escrowed value, as an import leaves it.</summary>
    private async Task<int> RevocableAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        return await db.Exposures.AsNoTracking()
            .Where(e => e.State == ExposureState.Open && e.Escrow != null && e.Token!.Kind == TokenKind.HuggingFaceUserToken)
            .OrderBy(e => e.Id).Select(e => e.Id).FirstAsync();
    }

    /// <summary>The worker sends the request in the background: wait (bounded) for the store to record its answer.</summary>
    private async Task<DateTimeOffset> WaitForRemediationAsync(int exposureId)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            await using var db = await factory.CreateDbContextAsync();
            var exposure = await db.Exposures.AsNoTracking().SingleAsync(e => e.Id == exposureId);
            if (exposure.State == ExposureState.Remediated)
            {
                Assert.Null(exposure.Escrow);
                return exposure.RemediatedAt!.Value;
            }
        }
        throw new TimeoutException($"exposure {exposureId} was not remediated within 60 s");
    }

    /// <summary>An active token without an owner, with an open exposure, and a staff member without roles to own it.</summary>
    private async Task<Candidate> PickAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var token = await db.Tokens.AsNoTracking()
            .Where(t => t.OwnerId == null && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now)
                && t.Exposures.Count(e => e.State == ExposureState.Open) == 1)
            .OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.Mask, Exposure = t.Exposures.Where(e => e.State == ExposureState.Open).Select(e => e.Id).First() })
            .FirstAsync();
        var owner = await db.People.AsNoTracking().Where(p => p.Active && p.Roles == Roles.None).OrderBy(p => p.Id).Select(p => p.Email).FirstAsync();
        return new Candidate(token.Id, token.Mask, token.Exposure, owner);
    }
}
