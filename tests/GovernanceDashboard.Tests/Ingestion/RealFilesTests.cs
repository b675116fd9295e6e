using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>Real scanner outputs (kept under Fixtures/real with their origin in its README) import without a crash, auto-detected.</summary>
public class RealFilesTests
{
    [Theory]
    [InlineData("trufflehog-v3-git.jsonl", "trufflehog", 4, 3, 1)]
    [InlineData("trufflehog-v3-github.jsonl", "trufflehog", 4, 3, 1)]
    [InlineData("gitleaks8-many.json", "gitleaks", 4, 3, 0)]
    [InlineData("github-alerts-many.json", "github-alerts", 3, 3, 0)]
    [InlineData("github-alerts-one.json", "github-alerts", 1, 1, 0)]
    [InlineData("sarif-gitleaks.sarif", "sarif", 8, 2, 0)]
    public async Task A_real_file_imports_with_duplicates_merged(string file, string format, int records, int tokens, int duplicates)
    {
        await using var h = await ImportHarness.StartAsync();
        var summary = await h.ImportAsync(Real(file));

        Assert.Equal(format, summary.Format);
        Assert.Equal(records, summary.Records);
        Assert.Empty(summary.Rejected);
        Assert.Equal(tokens, summary.TokensNew);
        Assert.Equal(duplicates, summary.Duplicates);
        await using var db = h.Db();
        Assert.Equal(tokens, await db.Tokens.CountAsync());
    }

    [Fact]
    public async Task Other_providers_secrets_are_platform_Other_and_base64_raw_is_decoded()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Real("trufflehog-v3-git.jsonl"));
        await using var db = h.Db();
        var tokens = await db.Tokens.ToListAsync();
        Assert.All(tokens, t => Assert.Equal(TokenPlatform.Other, t.Platform));
        // The AWS key was base64 in Raw: its identity is that of the decoded value, and its mask shows the decoded form.
        var aws = tokens.Single(t => t.Detector == "AWS");
        Assert.Equal(h.Secrets.IdentityOf("AKIAYVP4CIPPERUVIFXG"), aws.Identity);
        Assert.StartsWith("AKIA", aws.Mask, StringComparison.Ordinal);
        var occurrence = await db.Occurrences.FirstAsync(o => o.TokenId == aws.Id);
        Assert.Equal("https://github.com/trufflesecurity/test_keys", occurrence.Repository);
        Assert.Equal(DateTimeOffset.Parse("2022-06-16T10:17:40-07:00"), occurrence.CommitTime);
    }

    [Fact]
    public async Task GitHub_alerts_of_other_providers_are_Other_and_their_states_apply()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Real("github-alerts-many.json"));
        await using var db = h.Db();
        var tokens = await db.Tokens.Include(t => t.Exposures).ToListAsync();
        Assert.Equal(2, tokens.Count(t => t.Platform == TokenPlatform.Other));
        var pat = tokens.Single(t => t.Platform == TokenPlatform.GitHub);
        Assert.Equal(TokenKind.GitHubClassicPat, pat.Kind);
        Assert.Contains(tokens, t => t.Exposures.Any(e => e.State == ExposureState.Dismissed && e.DismissalReason == "false_positive"));
        Assert.Contains(tokens, t => t.Status == TokenStatus.Revoked);
    }

    [Fact]
    public async Task A_gitleaks_v7_report_is_rejected_naming_v7_and_writes_nothing()
    {
        await using var h = await ImportHarness.StartAsync();
        var before = await h.SnapshotAsync();
        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(Real("gitleaks-7.5.0.json")));
        Assert.Contains("v7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("v8", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync());
    }
}
