using Bunit;
using GovernanceDashboard.Components.Pages.Imports;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Sync;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Sync;

/// <summary>The Imports page's GitHub card shows the connection's state from the store and the refused-delivery counter.</summary>
public class GitHubConnectionCardTests
{
    [Fact]
    public async Task The_card_shows_the_last_pull_the_last_webhook_refused_deliveries_and_errors()
    {
        await using var store = new TestStore();
        using var host = await TestHost.StartAsync(store, new Dictionary<string, string?> { ["GitHub:Organizations:0"] = "acme" });
        var pulledAt = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        var webhookAt = new DateTimeOffset(2026, 12, 1, 10, 15, 0, TimeSpan.Zero);
        await using (var db = host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext())
        {
            db.GitHubSyncStates.Add(new GitHubSyncState { Organization = "acme", LastPullAt = pulledAt, LastPullAlerts = 250, LastError = "GitHub rate limit (HTTP 403)", LastErrorAt = pulledAt });
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                DeliveryId = "d-1", Event = "secret_scanning_alert", Action = "created", Repository = "acme/app", AlertNumber = 4,
                ReceivedAt = webhookAt, State = DeliveryState.Queued, NextAttemptAt = webhookAt,
            });
            await db.SaveChangesAsync();
        }
        var counters = host.Services.GetRequiredService<WebhookCounters>();
        counters.Rejected(webhookAt);
        counters.Rejected(webhookAt);

        await using var ctx = MudBunit.NewContext(services => services.AddSingleton(host.Services.GetRequiredService<SyncStatus>()));
        var card = ctx.Render<GitHubConnectionCard>();

        card.WaitForAssertion(() => Assert.Contains("2026-12-01 09:30 UTC, 250", card.Find("[data-testid=github-pull-acme]").TextContent, StringComparison.Ordinal));
        Assert.Equal("2026-12-01 10:15 UTC", card.Find("[data-testid=github-last-webhook]").TextContent.Trim());
        Assert.StartsWith("2", card.Find("[data-testid=github-rejected]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("GitHub rate limit (HTTP 403)", card.Markup, StringComparison.Ordinal);
        // No app configured here: the card says what is missing.
        Assert.Contains("GitHub:App:Id", card.Find("[data-testid=github-not-configured]").TextContent, StringComparison.Ordinal);
    }
}
