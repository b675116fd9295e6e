using System.Net;
using System.Text.Json;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Metrics;

/// <summary>GET /api/metrics, the CSV exports and a token's page through the real HTTP pipeline, on the demo organisation.</summary>
public class MetricsApiTests(SeededApp app) : IClassFixture<SeededApp>
{
    private const string Auditor = "sec.auditor@acme.example";

    [Fact]
    public async Task The_metrics_endpoint_prints_the_fixed_shape_and_agrees_with_the_service()
    {
        var client = await app.Factory.SignedInClientAsync(Auditor);
        var json = await client.GetStringAsync("/api/metrics?asOf=2026-11-20T00:00:00Z");
        var root = JsonDocument.Parse(json).RootElement;
        foreach (var name in new[] { "asOf", "tokens", "ownerCoverage", "writeScope", "exposures", "timeToRemediate", "attestation" })
            Assert.True(root.TryGetProperty(name, out _), name);
        Assert.Equal("2026-11-20T00:00:00+00:00", root.GetProperty("asOf").GetString());

        var expected = await app.Factory.Services.GetRequiredService<MetricsService>().ComputeAsync(DateTimeOffset.Parse("2026-11-20T00:00:00Z"));
        Assert.Equal(expected.Tokens.Total, root.GetProperty("tokens").GetProperty("total").GetInt32());
        Assert.Equal(expected.OwnerCoverage.Ratio!.Value, root.GetProperty("ownerCoverage").GetProperty("ratio").GetDouble(), 9);
        Assert.Equal(expected.TimeToRemediate.MedianHours!.Value, root.GetProperty("timeToRemediate").GetProperty("medianHours").GetDouble(), 9);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/metrics?asOf=yesterday")).StatusCode);
    }

    [Fact]
    public async Task The_team_figures_add_up_to_at_most_the_organisation()
    {
        var byTeam = await app.Factory.Services.GetRequiredService<MetricsService>().ComputeByTeamAsync();
        Assert.True(byTeam.Teams.Count >= 5);
        Assert.True(byTeam.Teams.Values.Sum(t => t.Tokens.Active) <= byTeam.Organisation.Tokens.Active);
        Assert.Equal(byTeam.Organisation.OwnerCoverage.Owned, byTeam.Teams.Values.Sum(t => t.OwnerCoverage.Owned));
        var one = byTeam.Teams.First();
        var alone = await app.Factory.Services.GetRequiredService<MetricsService>().ComputeAsync(byTeam.Organisation.AsOf, team: one.Key);
        Assert.Equal(one.Value with { AsOf = alone.AsOf }, alone, new SnapshotComparer());
    }

    [Fact]
    public async Task An_owner_exports_only_their_own_tokens_and_cannot_open_someone_elses_token_page()
    {
        await using var db = app.Factory.Store.Factory.CreateDbContext();
        var owner = db.People.First(p => p.Active && p.Roles == Domain.Roles.None && db.Tokens.Any(t => t.OwnerId == p.Id));
        var mine = db.Tokens.Where(t => t.OwnerId == owner.Id).Select(t => t.Id).ToList();
        var other = db.Tokens.First(t => t.OwnerId != owner.Id && t.SuggestedOwnerId != owner.Id);
        var client = await app.Factory.SignedInClientAsync(owner.Email);

        var csv = (await client.GetStringAsync("/export/tokens.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var ids = csv.Skip(1).Select(l => int.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.True(mine.Contains(id) || db.Tokens.Any(t => t.Id == id && t.SuggestedOwnerId == owner.Id)));

        var page = await client.GetStringAsync($"/tokens/{other.Id}");
        Assert.Contains("There is no token", page, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Mask, page, StringComparison.Ordinal);
        var own = await client.GetStringAsync($"/tokens/{mine[0]}");
        Assert.Contains(db.Tokens.Single(t => t.Id == mine[0]).Mask, own, StringComparison.Ordinal);

        // Reports and team figures are for reading roles only.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/export/teams.csv")).StatusCode);
    }

    [Fact]
    public async Task The_imports_export_says_which_files_were_rejected_and_why()
    {
        await using (var db = app.Factory.Store.Factory.CreateDbContext())
        {
            db.Imports.Add(new Domain.ScanImport
            {
                ImportedAt = DateTimeOffset.UtcNow, ImportedBy = Auditor, Format = "trufflehog", FileName = "ci-upload.jsonl",
                Sha256 = "", Status = Domain.ImportStatus.Rejected, RejectionReason = "not JSON lines: line 1",
            });
            await db.SaveChangesAsync();
        }
        var client = await app.Factory.SignedInClientAsync(Auditor);
        var lines = (await client.GetStringAsync("/export/imports.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var (status, reason) = (Array.IndexOf(header, "status"), Array.IndexOf(header, "rejection_reason"));
        Assert.True(status > 0 && reason > 0, lines[0]);
        var rejected = Assert.Single(lines, l => l.Contains("ci-upload.jsonl", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("Rejected", "not JSON lines: line 1"), (rejected[status], rejected[reason]));
        Assert.All(lines.Skip(1).Where(l => !l.Contains("ci-upload.jsonl", StringComparison.Ordinal)), l => Assert.Equal("Completed", l.Split(',')[status]));
    }

    [Fact]
    public async Task History_backfill_writes_one_snapshot_a_day_whose_figures_match_the_service()
    {
        // Seeding the demo backfilled the year already: nothing is missing, nothing is written twice.
        var history = app.Factory.Services.GetRequiredService<HistoryService>();
        Assert.Equal(0, await history.BackfillAsync());
        var days = await history.OrganisationAsync();
        Assert.True(days.Count > 300, $"expected about a year of days, got {days.Count}");
        await using (var db = app.Factory.Store.Factory.CreateDbContext())
        {
            // A deleted day comes back on the next backfill.
            var missing = db.MetricSnapshots.Where(s => s.Team == "").OrderBy(s => s.AsOf).Skip(10).First();
            db.MetricSnapshots.Remove(missing);
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, await history.BackfillAsync());
        days = await history.OrganisationAsync();
        Assert.Equal(days.Count, days.Select(d => d.AsOf).Distinct().Count());
        var sample = days[days.Count / 2];
        var direct = await app.Factory.Services.GetRequiredService<MetricsService>().ComputeAsync(sample.AsOf);
        Assert.Equal(direct.OwnerCoverage.Ratio, sample.OwnerCoverage);
        Assert.Equal(direct.Exposures.Open, sample.OpenExposures);
        Assert.Equal(direct.TimeToRemediate.MedianHours, sample.MedianTtrHours);
    }

    /// <summary>Snapshots hold dictionaries: compare them by content.</summary>
    private sealed class SnapshotComparer : IEqualityComparer<MetricsSnapshot>
    {
        public bool Equals(MetricsSnapshot? x, MetricsSnapshot? y) =>
            JsonSerializer.Serialize(x) == JsonSerializer.Serialize(y);

        public int GetHashCode(MetricsSnapshot obj) => 0;
    }
}
