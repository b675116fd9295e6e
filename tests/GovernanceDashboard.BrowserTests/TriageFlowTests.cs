using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>Triage end to end: an analyst gives an orphan token an owner and dismisses its exposure (the Overview's figures follow), then dismisses a selection of the Exposures list.</summary>
public class TriageFlowTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private sealed record Candidate(int TokenId, string Mask, int ExposureId, string NewOwner);

    [Fact]
    public async Task An_analyst_assigns_an_owner_and_dismisses_exposures_one_and_in_bulk_and_the_overview_follows()
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
