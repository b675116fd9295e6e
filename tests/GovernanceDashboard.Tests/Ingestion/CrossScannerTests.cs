using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>One secret seen by TruffleHog, Gitleaks and GitHub is ONE token with several occurrences, and one exposure.</summary>
public class CrossScannerTests
{
    private static string Cross(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "cross", name);

    private const string Secret = "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";

    [Fact]
    public async Task The_same_secret_from_three_scanners_is_one_token_whose_detection_is_the_earliest()
    {
        await using var h = await ImportHarness.StartAsync();
        var scan = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
        await h.ImportAsync(Cross("trufflehog.jsonl"), scannedAt: scan);
        await h.ImportAsync(Cross("gitleaks.json"), scannedAt: scan.AddDays(1));
        var alerts = await h.ImportAsync(Cross("github-alerts.json"), scannedAt: scan.AddDays(2));
        Assert.Equal((0, 1), (alerts.TokensNew, alerts.TokensSeen));

        await using var db = h.Db();
        var token = await db.Tokens.Include(t => t.Occurrences).Include(t => t.Exposures).SingleAsync();
        Assert.Equal(h.Secrets.IdentityOf(Secret), token.Identity);
        Assert.Equal(["GitHub", "Gitleaks", "TruffleHog"], token.Occurrences.Select(o => o.Scanner).Order());
        var exposure = Assert.Single(token.Exposures);
        // The alert was created before the TruffleHog scan: importing it later moved detection earlier.
        Assert.Equal(DateTimeOffset.Parse("2026-08-20T10:00:00Z"), exposure.DetectedAt);
        // Earliest detection: the alert said active and publicly leaked, on a write token: critical.
        Assert.Equal(Severity.Critical, exposure.Severity);
        Assert.Equal(Secret, h.Secrets.Unescrow(exposure.Escrow!));
    }

    [Fact]
    public async Task Importing_an_older_alert_later_moves_detection_earlier_and_nothing_moves_it_later()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Cross("github-alerts.json"), scannedAt: DateTimeOffset.Parse("2026-09-10T00:00:00Z"));
        await h.ImportAsync(Cross("trufflehog.jsonl"), scannedAt: DateTimeOffset.Parse("2026-09-15T00:00:00Z"));
        await using var db = h.Db();
        Assert.Equal(DateTimeOffset.Parse("2026-08-20T10:00:00Z"), (await db.Exposures.SingleAsync()).DetectedAt);
    }

    [Fact]
    public async Task The_alert_resolved_as_revoked_closes_the_exposure_at_resolved_at_and_erases_the_escrow()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Cross("trufflehog.jsonl"), scannedAt: DateTimeOffset.Parse("2026-08-21T00:00:00Z"));
        await h.ImportAsync(Cross("github-alerts.json"), scannedAt: DateTimeOffset.Parse("2026-08-21T01:00:00Z"));
        var resolved = await h.ImportAsync(Cross("github-alerts-resolved.json"), scannedAt: DateTimeOffset.Parse("2026-08-25T00:00:00Z"));
        Assert.Equal((0, 1, 1), (resolved.OccurrencesNew, resolved.Duplicates, resolved.ExposuresClosed));

        await using (var db = h.Db())
        {
            var token = await db.Tokens.Include(t => t.Exposures).SingleAsync();
            var exposure = Assert.Single(token.Exposures);
            Assert.Equal((TokenStatus.Revoked, ExposureState.Remediated), (token.Status, exposure.State));
            // Both resolved as revoked and inactive: dated by resolved_at, not by the later scan.
            Assert.Equal(DateTimeOffset.Parse("2026-08-22T16:00:00Z"), exposure.RemediatedAt);
            Assert.Equal(exposure.RemediatedAt, token.RevokedAt);
            Assert.Null(exposure.Escrow);
        }

        // A new sighting of the revoked token is recorded and opens nothing.
        var later = await h.ImportAsync(Cross("gitleaks.json"), scannedAt: DateTimeOffset.Parse("2026-09-01T00:00:00Z"));
        Assert.Equal((1, 0, 1), (later.OccurrencesNew, later.ExposuresOpened, later.OccurrencesOnClosedTokens));
    }
}
