using GovernanceDashboard.Domain;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>A person's resolution of a GitHub alert decides its exposure; validity: inactive still revokes the token.</summary>
public class AlertResolutionTests
{
    private static readonly DateTimeOffset ScannedAt = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Alert(int number, string secret, string? resolution, string validity) => $$$"""
        {"number": {{{number}}}, "created_at": "2020-01-10T09:00:00Z", "updated_at": "2020-01-12T09:00:00Z",
         "state": "{{{(resolution is null ? "open" : "resolved")}}}", "resolution": {{{(resolution is null ? "null" : $"\"{resolution}\"")}}},
         "resolved_at": {{{(resolution is null ? "null" : "\"2020-01-12T09:00:00Z\"")}}},
         "secret_type": "github_personal_access_token", "secret": "{{{secret}}}", "validity": "{{{validity}}}",
         "publicly_leaked": false, "repository": {"full_name": "octo-org/octo-repo", "private": false},
         "first_location_detected": {"path": "a.py", "start_line": 1, "commit_sha": "abc"}}
        """;

    [Theory]
    [InlineData("false_positive")]
    [InlineData("used_in_tests")]
    [InlineData("wont_fix")]
    public async Task A_dismissing_resolution_wins_over_validity_inactive_and_the_token_is_still_revoked(string resolution)
    {
        await using var h = await ImportHarness.StartAsync();
        var path = await h.WriteTempAsync("alerts.json", "[" + Alert(2, "ghp_" + new string('q', 36), resolution, "inactive") + "]");
        await h.ImportAsync(path, scannedAt: ScannedAt);

        await using var db = h.Db();
        var token = await db.Tokens.Include(t => t.Exposures).SingleAsync();
        var exposure = Assert.Single(token.Exposures);
        Assert.Equal((ExposureState.Dismissed, resolution), (exposure.State, exposure.DismissalReason));
        Assert.Equal(DateTimeOffset.Parse("2020-01-12T09:00:00Z"), exposure.DismissedAt);
        Assert.Null(exposure.RemediatedAt);
        Assert.Equal((TokenStatus.Revoked, ScannedAt), (token.Status, token.RevokedAt));

        // Out of time to remediate: the GitHub documentation example used to count as ~51,700 hours.
        var metrics = await h.Services.GetRequiredService<MetricsService>().ComputeAsync(ScannedAt.AddDays(1));
        Assert.Equal(0, metrics.TimeToRemediate.Count);
        Assert.Equal(1, metrics.Exposures.Dismissed);
    }

    [Fact]
    public async Task Validity_inactive_alone_remediates_at_the_scan_time()
    {
        await using var h = await ImportHarness.StartAsync();
        var path = await h.WriteTempAsync("alerts.json", "[" + Alert(3, "ghp_" + new string('r', 36), null, "inactive") + "]");
        await h.ImportAsync(path, scannedAt: ScannedAt);

        await using var db = h.Db();
        var exposure = await db.Exposures.SingleAsync();
        Assert.Equal((ExposureState.Remediated, (DateTimeOffset?)ScannedAt), (exposure.State, exposure.RemediatedAt));
    }
}
