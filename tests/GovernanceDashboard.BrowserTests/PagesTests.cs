using System.Globalization;
using System.Text.RegularExpressions;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using GovernanceDashboard.Values;
using Microsoft.Playwright;

namespace GovernanceDashboard.BrowserTests;

/// <summary>The pages as each kind of user meets them: every route fits the screen in both themes, speaks words rather than
/// type names and throws nothing; figures lead to lists of the same count; filtered lists and their charts agree and survive
/// a reload.</summary>
public partial class PagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>Names of the domain's enum values that must never reach a page (Labels gives their words).</summary>
    private static readonly string[] RawNames =
    [
        "HuggingFaceUserToken", "HuggingFaceOrgApiToken", "GitHubClassicPat", "GitHubFineGrainedPat", "GitHubOAuth", "GitHubAppUserToken",
        "GitHubAppInstallationToken", "GitHubRefreshToken", "HuggingFace", "ReduceScope", "AllActive", "WriteCapableOnly", "Github", "None",
        "WriteCapability", "RequestStatus", "TokenStatus", "ExposureState", "OwnerSource", "RepoVisibility",
    ];

    private static readonly (int Width, int Height)[] Screens = [(1280, 800), (1440, 900)];

    /// <summary>UX_SCREENSHOTS=folder keeps a screenshot of every page, screen and theme there, for people to look at.</summary>
    private static readonly string? Shots = Environment.GetEnvironmentVariable("UX_SCREENSHOTS");

    [Fact]
    public async Task Every_page_fits_1280_and_1440_pixels_in_light_and_dark_for_every_role_and_shows_no_raw_names_nor_errors()
    {
        var (owner, token, campaign, team) = await DemoFactsAsync();
        string[] routes =
        [
            "/", "/my-tokens", "/tokens", $"/tokens/{token}", "/exposures", "/imports", "/approvals", "/attestations", $"/attestations/{campaign}",
            "/reports", "/teams", $"/teams/{Uri.EscapeDataString(team)}", "/audit", "/settings", "/notifications", "/denied",
        ];
        var problems = new List<string>();
        foreach (var person in new[] { "sec.lead@acme.example", "sec.analyst@acme.example", "sec.auditor@acme.example", owner })
        {
            var page = await app.SignedInPageAsync(person);
            var errors = new List<string>();
            page.Console += (_, m) =>
            {
                if (m.Type == "error") errors.Add(m.Text);
            };
            page.PageError += (_, e) => errors.Add(e);
            foreach (var route in routes)
            {
                await page.SetViewportSizeAsync(Screens[0].Width, Screens[0].Height);
                await page.GotoAsync(route);
                await SettledAsync(page);
                foreach (var dark in new[] { false, true })
                {
                    if (dark)
                    {
                        await page.ClickAsync("[data-testid=theme-toggle]");
                        await page.Locator("#gd-page[data-theme=dark]").WaitForAsync();
                        await SettledAsync(page);
                    }
                    foreach (var (width, height) in dark ? Screens.Reverse() : Screens)
                    {
                        await page.SetViewportSizeAsync(width, height);
                        var where = $"{person} {route} {width}×{height} {(dark ? "dark" : "light")}";
                        // Charts follow a resize on the window's resize event, a moment later: wait for that, not longer.
                        try
                        {
                            await page.WaitForFunctionAsync("w => document.documentElement.scrollWidth <= w", width, new() { Timeout = 15_000 });
                        }
                        catch (TimeoutException)
                        {
                            problems.Add($"{where}: the document is {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide");
                        }
                        if (Shots is { } shots)
                            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"{person.Split('@')[0]}{route.Replace('/', '_')}-{width}-{(dark ? "dark" : "light")}.png"), FullPage = true });
                        var text = await page.InnerTextAsync("body");
                        foreach (var raw in RawNames.Where(raw => Regex.IsMatch(text, $@"\b{raw}\b")))
                            problems.Add($"{where}: shows the raw name {raw}");
                    }
                }
                problems.AddRange(errors.Select(e => $"{person} {route}: {e}"));
                errors.Clear();
            }
            await page.Context.CloseAsync();
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems.Distinct()));
    }

    [Fact]
    public async Task An_overview_figure_leads_to_a_list_of_exactly_that_many()
    {
        var page = await app.SignedInPageAsync("sec.analyst@acme.example");
        foreach (var (figure, list) in new[] { ("link-no-owner", "list-count"), ("link-unjustified", "list-count"), ("link-breached", "open-count") })
        {
            await page.GotoAsync("/");
            await BrowserApp.WaitForCircuitAsync(page);
            var link = page.Locator($"[data-testid={figure}]");
            var count = int.Parse(await link.GetAttributeAsync("data-count") ?? "-1", CultureInfo.InvariantCulture);
            Assert.True(count > 0, $"{figure}: the demo organisation should have some");
            await link.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/(tokens|exposures)\\?"));
            await Assertions.Expect(page.Locator($"[data-testid={list}]")).ToContainTextAsync(new Regex($"^\\s*{count}\\b"));
        }
        // The Exposures list's rows are the count (one page holds them all).
        await Assertions.Expect(page.Locator("[data-testid=open-exposures] tbody tr")).ToHaveCountAsync(int.Parse(
            await page.Locator("[data-testid=open-count]").InnerTextAsync(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_filtered_exposures_list_and_its_charts_count_the_same_exposures()
    {
        var (team, severity, open, openedInWindow, allInWindow) = await TeamExposuresAsync();
        var page = await app.SignedInPageAsync("sec.analyst@acme.example");
        await page.GotoAsync($"/exposures?team={Uri.EscapeDataString(team)}&severity={severity}");
        await BrowserApp.WaitForCircuitAsync(page);

        await Assertions.Expect(page.Locator("[data-testid=open-count]")).ToHaveTextAsync(open.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#weekly-exposures-chart .main-svg").First.WaitForAsync();
        Assert.Equal(openedInWindow, await OpenedInChartAsync(page));

        // The charts did follow the filter: without it they count more.
        await page.GotoAsync("/exposures");
        await BrowserApp.WaitForCircuitAsync(page);
        await page.Locator("#weekly-exposures-chart .main-svg").First.WaitForAsync();
        Assert.Equal(allInWindow, await OpenedInChartAsync(page));
        Assert.True(allInWindow > openedInWindow);
    }

    [Fact]
    public async Task A_filtered_and_sorted_list_reloaded_shows_the_same_rows_and_a_header_sorts_through_the_url()
    {
        var filter = new TokenFilter { Platform = TokenPlatform.GitHub, Owner = "none" };
        var inventory = app.Services.GetRequiredService<TokenInventory>();
        async Task<string[]> Expected(TokenSort sort) => [.. (await inventory.ListAsync(filter, 1, 25, sort)).Items.Select(t => t.Mask)];
        var byMask = await Expected(TokenSort.MaskAsc);
        Assert.True(byMask.Length > 2);
        Assert.Equal(byMask.Order(StringComparer.Ordinal), byMask);
        Assert.NotEqual(byMask, await Expected(TokenSort.LastSeenDesc));

        var page = await app.SignedInPageAsync("sec.analyst@acme.example");
        await page.GotoAsync("/tokens?platform=GitHub&owner=none");
        await BrowserApp.WaitForCircuitAsync(page);
        var masks = page.Locator("[data-testid=tokens-grid] [data-testid=token-link]");
        await Assertions.Expect(masks).ToHaveTextAsync(await Expected(TokenSort.LastSeenDesc));

        // A header sorts through the URL; the reloaded URL shows the same rows in the same order.
        await page.ClickAsync("[data-testid=sort-mask]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=mask"));
        await Assertions.Expect(masks).ToHaveTextAsync(byMask);
        await page.ReloadAsync();
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(masks).ToHaveTextAsync(byMask);

        await page.ClickAsync("[data-testid=sort-mask]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=-mask"));
        await page.ReloadAsync();
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(masks).ToHaveTextAsync(await Expected(TokenSort.MaskDesc));
        Assert.Equal(await masks.AllInnerTextsAsync(), (await masks.AllInnerTextsAsync()).OrderDescending(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_notification_badge_shows_whole_on_the_bell_inside_the_app_bar()
    {
        // Three unread messages for one person, whatever the demo left them: the badge shows "3".
        const string person = "sec.auditor@acme.example";
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync())
        {
            var me = await db.People.SingleAsync(p => p.Email == person);
            var now = DateTimeOffset.UtcNow;
            await db.Notifications.Where(n => n.PersonId == me.Id && n.ReadAt == null).ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now));
            for (var i = 1; i <= 3; i++)
                db.Notifications.Add(new Notification { PersonId = me.Id, Kind = "test", Subject = $"Message {i}", Body = "For the badge.", CreatedAt = now, SentAt = now });
            await db.SaveChangesAsync();
        }
        var page = await app.SignedInPageAsync(person);
        foreach (var (width, height) in Screens)
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/");
            await SettledAsync(page);
            var badge = page.Locator("[data-testid=notification-count] .mud-badge");
            await Assertions.Expect(badge).ToHaveTextAsync("3");
            var (box, bar, bell) = (await badge.BoundingBoxAsync(), await page.Locator(".mud-appbar").BoundingBoxAsync(),
                await page.Locator("[data-testid=notification-bell]").BoundingBoxAsync());
            Assert.True(Inside(box!, bar!), $"{width}×{height}: the badge {Describe(box!)} leaves the app bar {Describe(bar!)}");
            Assert.True(Inside(box!, bell!), $"{width}×{height}: the badge {Describe(box!)} leaves the bell's button {Describe(bell!)}");
            if (Shots is { } shots)
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"badge-{width}.png"), Clip = new Clip { X = bar!.Width - 520, Y = 0, Width = 520, Height = bar.Height + 8 } });
            // Nothing covers or cuts it: the middle of each of the badge's edges is the badge itself on screen (its corners are
            // rounded, and hit testing follows the rounding).
            var hidden = await badge.EvaluateAsync<string>("""
                b => { const r = b.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
                       return [[x, r.top + 2], [x, r.bottom - 2], [r.left + 2, y], [r.right - 2, y]]
                         .filter(([px, py]) => !b.contains(document.elementFromPoint(px, py)))
                         .map(([px, py]) => `(${px}, ${py}): ${document.elementFromPoint(px, py)?.outerHTML.slice(0, 120)}`).join('; '); }
                """);
            Assert.True(hidden.Length == 0, $"{width}×{height}: part of the badge is hidden: {hidden}");
        }
        await page.Context.CloseAsync();

        static bool Inside(LocatorBoundingBoxResult inner, LocatorBoundingBoxResult outer) =>
            inner.X >= outer.X && inner.Y >= outer.Y && inner.X + inner.Width <= outer.X + outer.Width && inner.Y + inner.Height <= outer.Y + outer.Height;
        static string Describe(LocatorBoundingBoxResult b) => FormattableString.Invariant($"({b.X:0.#}, {b.Y:0.#}; {b.Width:0.#}×{b.Height:0.#})");
    }

    [Fact]
    public async Task A_lists_page_is_in_the_address_and_a_reload_returns_to_it()
    {
        var inventory = app.Services.GetRequiredService<TokenInventory>();
        async Task<string[]> Tokens(int number) => [.. (await inventory.ListAsync(new TokenFilter(), number, 25)).Items.Select(t => t.Mask)];
        var exposures = app.Services.GetRequiredService<ExposureList>();
        var closedSort = ListSort<ExposureSortKey>.Parse("detected");
        async Task<string[]> Closed(int number) => [.. (await exposures.ListAsync(new ExposureFilter { ClosedOnly = true }, number, 25, closedSort)).Items.Select(e => e.Mask)];
        Assert.NotEqual(await Tokens(2), await Tokens(3));

        var page = await app.SignedInPageAsync("sec.analyst@acme.example");
        await page.GotoAsync("/tokens?page=2");
        await BrowserApp.WaitForCircuitAsync(page);
        var masks = page.Locator("[data-testid=tokens-grid] [data-testid=token-link]");
        await Assertions.Expect(masks).ToHaveTextAsync(await Tokens(2));
        // The pager writes the page into the address (once the live grid has its rows: a click on the prerendered ones is lost);
        // a reload shows that page again.
        await page.Locator("[data-testid=tokens-grid][data-loaded]").WaitForAsync();
        await page.Locator("[data-testid=tokens-grid]").GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]page=3"));
        await Assertions.Expect(masks).ToHaveTextAsync(await Tokens(3));
        await page.ReloadAsync();
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(masks).ToHaveTextAsync(await Tokens(3));

        // The closed exposures, sorted by a header, likewise; and the first page keeps a plain address.
        await page.GotoAsync("/exposures?sort=detected&page=2");
        await BrowserApp.WaitForCircuitAsync(page);
        var closed = page.Locator("[data-testid=closed-exposures] tbody tr td:first-child code");
        await Assertions.Expect(closed).ToHaveTextAsync(await Closed(2));
        await page.ReloadAsync();
        await BrowserApp.WaitForCircuitAsync(page);
        await Assertions.Expect(closed).ToHaveTextAsync(await Closed(2));
        await page.Locator("[data-testid=closed-exposures][data-loaded]").WaitForAsync();
        await page.Locator("[data-testid=closed-exposures]").GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^[^?]*/exposures\\?sort=detected$"));
        await Assertions.Expect(closed).ToHaveTextAsync(await Closed(1));
    }

    private static Task<int> OpenedInChartAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.getElementById('weekly-exposures-chart').data[0].y.reduce((a, b) => a + b, 0)");

    /// <summary>Waits until the live circuit is up and no list or page is still loading.</summary>
    private static async Task SettledAsync(IPage page)
    {
        await BrowserApp.WaitForCircuitAsync(page);
        await page.WaitForFunctionAsync("() => !document.querySelector('.mud-progress-indeterminate')");
    }

    /// <summary>An ordinary owner with tokens, one of their tokens, a campaign and a team of the demo organisation.</summary>
    private async Task<(string Owner, int Token, int Campaign, string Team)> DemoFactsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        var owner = await db.People.Where(p => p.Active && p.Roles == Roles.None && db.Tokens.Any(t => t.OwnerId == p.Id)).OrderBy(p => p.Id).FirstAsync();
        var token = await db.Tokens.Where(t => t.OwnerId == owner.Id).Select(t => t.Id).FirstAsync();
        var campaign = await db.AttestationCampaigns.Select(c => c.Id).FirstAsync();
        return (owner.Email, token, campaign, owner.Team!);
    }

    /// <summary>A team and severity with open exposures; how many are open, and how many of them and of all were detected in the
    /// weekly chart's 26 weeks (Monday to Monday, up to now).</summary>
    private async Task<(string Team, Severity Severity, int Open, int OpenedInWindow, int AllInWindow)> TeamExposuresAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContextAsync();
        var exposures = await db.Exposures.AsNoTracking()
            .Select(e => new { e.Severity, e.State, e.DetectedAt, Team = e.Token!.Owner != null ? e.Token.Owner.Team : null }).ToListAsync();
        var pick = exposures.Where(e => e.State == ExposureState.Open && e.Team is not null).GroupBy(e => (e.Team!, e.Severity))
            .OrderByDescending(g => g.Count()).First().Key;
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstWeek = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).AddDays(-7 * 25);
        var from = new DateTimeOffset(firstWeek.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        bool InWindow(DateTimeOffset at) => at >= from && at <= now;
        var mine = exposures.Where(e => e.Team == pick.Item1 && e.Severity == pick.Severity).ToList();
        return (pick.Item1, pick.Severity, mine.Count(e => e.State == ExposureState.Open), mine.Count(e => InWindow(e.DetectedAt)),
            exposures.Count(e => InWindow(e.DetectedAt)));
    }
}
