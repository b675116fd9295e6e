using GovernanceDashboard.Importers;
using GovernanceDashboard.Tests.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>The defects real upstream files showed (issue 11), imported into a real SQLite store.</summary>
public class RealUpstreamImportTests
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task Gh_paginated_alerts_import_as_one_github_alerts_file()
    {
        await using var h = await ImportHarness.StartAsync();

        var summary = await h.ImportAsync(Real("github-alerts-paginated.json"));

        Assert.Equal(ImportFormats.GitHubAlerts, summary.Format);
        Assert.Equal(4, summary.Records);
        Assert.Empty(summary.Rejected);
        Assert.Equal(3, summary.TokensNew);
        await using var db = h.Db();
        Assert.Equal(3, await db.Tokens.CountAsync());
    }

    [Fact]
    public async Task An_empty_page_imports_as_no_findings_under_auto_and_as_the_chosen_format_when_given()
    {
        await using var h = await ImportHarness.StartAsync();

        var auto = await h.ImportAsync(Real("github-alerts-empty.json"));
        var chosen = await h.ImportAsync(Real("github-alerts-empty.json"), format: "github-alerts");

        Assert.Equal(ImportFormats.NoFindings, auto.Format);
        Assert.Equal(0, auto.Records);
        Assert.Contains("No findings", auto.Message, StringComparison.Ordinal);
        Assert.Equal(ImportFormats.GitHubAlerts, chosen.Format);
        await using var db = h.Db();
        Assert.Equal([ImportFormats.NoFindings, ImportFormats.GitHubAlerts], await db.Imports.OrderBy(i => i.Id).Select(i => i.Format).ToListAsync());
        Assert.Equal(0, await db.Tokens.CountAsync());
    }

    [Fact]
    public async Task A_null_report_is_rejected_and_writes_nothing()
    {
        await using var h = await ImportHarness.StartAsync();
        var before = await h.SnapshotAsync();

        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(Real("gitleaks-null.json")));

        Assert.Contains("only null", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task A_codeql_sarif_opens_nothing_and_writes_nothing()
    {
        await using var h = await ImportHarness.StartAsync();
        var before = await h.SnapshotAsync();

        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(Real("sarif-codeql.sarif")));

        Assert.Contains("not a secret scanner's report", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task Code_results_beside_a_secret_scanners_run_are_counted_as_not_a_secret_finding()
    {
        await using var h = await ImportHarness.StartAsync();
        var path = await h.WriteTempAsync("mixed.sarif", RealUpstreamParsingTests.CodeQlWithGitleaksRun());

        var summary = await h.ImportAsync(path);

        var skipped = RealUpstreamParsingTests.CodeQlResultCount();
        Assert.Equal(skipped, summary.NotSecretFindings);
        Assert.Equal(skipped + 1, summary.Records);
        Assert.Equal(1, summary.TokensNew);
        Assert.Equal(1, summary.ExposuresOpened);
        Assert.Contains($"{skipped} result(s) skipped: not a secret finding", summary.Message, StringComparison.Ordinal);
        Assert.Contains("\"notSecretFindings\":" + skipped, System.Text.Json.JsonSerializer.Serialize(summary, WebJson), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_gitleaks_finding_as_json_and_as_sarif_is_one_token()
    {
        await using var h = await ImportHarness.StartAsync();

        var json = await h.ImportAsync(Real("gitleaks-simple.json"));
        var sarif = await h.ImportAsync(Real("gitleaks-simple.sarif"));

        Assert.Equal(1, json.TokensNew);
        Assert.Equal(0, sarif.TokensNew);
        Assert.Equal(1, sarif.TokensSeen);
        await using var db = h.Db();
        var token = await db.Tokens.SingleAsync();
        Assert.Equal(h.Secrets.IdentityOf("a secret"), token.Identity);
    }

    [Fact]
    public async Task A_masked_author_email_is_stored_as_no_address()
    {
        await using var h = await ImportHarness.StartAsync();

        await h.ImportAsync(Real("gitleaks-baseline-redacted.json"));

        await using var db = h.Db();
        var occurrences = await db.Occurrences.ToListAsync();
        Assert.Equal(2, occurrences.Count);
        Assert.All(occurrences, o => Assert.Null(o.AuthorEmail));
    }

    [Fact]
    public async Task A_trufflehog_issue_comment_finding_is_stored_with_the_repository_url()
    {
        await using var h = await ImportHarness.StartAsync();

        await h.ImportAsync(Real("trufflehog-issue-comment.jsonl"));

        await using var db = h.Db();
        Assert.Equal("https://github.com/allegro/ralph", (await db.Occurrences.SingleAsync()).Repository);
    }
}
