using Bunit;
using GovernanceDashboard.BlastRadius;
using GovernanceDashboard.Components.Pages.Overview;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.BlastRadius;

/// <summary>Where the score shows: the Tokens grid's sort (over the in-memory facts), the Overview's most dangerous open exposures
/// (only live, exposed, write tokens with a score), and the card that lists them.</summary>
public class BlastRadiusListsTests
{
    private static async Task<(int Low, int High, int Mid, int Revoked, int ReadOnly, int NotExposed)> SeedAsync(BlastRadiusHarness h)
    {
        var low = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ListsTest000001AbCdEfGhIjKlMnOpQrStUv", blastRadius: 1.5);
        var high = await h.TokenAsync(TokenPlatform.HuggingFace, "hf_ListsTest000002AbCdEfGhIjKlMnOpQrSt", blastRadius: 9.24);
        var mid = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ListsTest000003AbCdEfGhIjKlMnOpQrStUv", blastRadius: 5);
        // Scores that no longer count: revoked, read-only; and one that counts but has no open exposure.
        var revoked = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ListsTest000004AbCdEfGhIjKlMnOpQrStUv", revoked: true, blastRadius: 100);
        var readOnly = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ListsTest000005AbCdEfGhIjKlMnOpQrStUv", WriteCapability.Read, blastRadius: 50);
        var notExposed = await h.TokenAsync(TokenPlatform.GitHub, "ghp_ListsTest000006AbCdEfGhIjKlMnOpQrStUv", blastRadius: 7, exposed: false);
        return (low, high, mid, revoked, readOnly, notExposed);
    }

    [Fact]
    public async Task The_grid_sorts_by_the_score_that_counts_now_both_ways()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var t = await SeedAsync(h);
        var inventory = h.Services.GetRequiredService<TokenInventory>();

        var down = await inventory.ListAsync(new TokenFilter(), 1, 25, TokenSort.BlastRadiusDesc);
        Assert.Equal([t.High, t.NotExposed, t.Mid, t.Low], down.Items.Take(4).Select(r => r.Id));
        Assert.Equal([9.24, 7, 5, 1.5, 0, 0], down.Items.Select(r => r.BlastRadius));
        var up = await inventory.ListAsync(new TokenFilter(), 1, 25, TokenSort.BlastRadiusAsc);
        Assert.Equal([t.Low, t.Mid, t.NotExposed, t.High], up.Items.Skip(2).Select(r => r.Id));

        // A score written by another writer reaches the grid through the change log.
        await using (var db = h.Db())
            await db.Tokens.Where(x => x.Id == t.Low).ExecuteUpdateAsync(s => s.SetProperty(x => x.BlastRadius, 20.0));
        Assert.Equal(t.Low, (await inventory.ListAsync(new TokenFilter(), 1, 1, TokenSort.BlastRadiusDesc)).Items[0].Id);
    }

    [Fact]
    public async Task Most_dangerous_open_exposures_are_exposed_write_tokens_by_score_largest_first()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var t = await SeedAsync(h);

        var page = await h.Service.MostDangerousOpenAsync(10);

        Assert.Equal([t.High, t.Mid, t.Low], page.Items.Select(r => r.Id));
        Assert.Equal(3, page.Total);
        Assert.Equal([t.High], (await h.Service.MostDangerousOpenAsync(1)).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task The_overview_card_lists_them_in_order_with_links_to_the_tokens()
    {
        await using var h = await BlastRadiusHarness.StartAsync();
        var t = await SeedAsync(h);
        await using var ctx = MudBunit.NewContext(s => s.AddSingleton(h.Service));

        var card = ctx.Render<MostDangerousCard>(p => p.Add(c => c.Rows, 2));

        card.WaitForAssertion(() => Assert.Equal(2, card.FindAll("[data-testid=dangerous-row]").Count));
        Assert.Equal(["9.2", "5.0"], card.FindAll("[data-testid=dangerous-score]").Select(e => e.TextContent));
        Assert.Equal([$"/tokens/{t.High}", $"/tokens/{t.Mid}"], card.FindAll("[data-testid=dangerous-row] a").Select(a => a.GetAttribute("href")));
        Assert.Equal("/tokens?status=Exposed&sort=-blast", card.Find("a.mud-button-root").GetAttribute("href"));
    }
}
