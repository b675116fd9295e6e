using System.Text;
using System.Text.Json.Nodes;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

/// <summary>What real users feed the parsers (upstream files under Fixtures/real, origin in its README): gh's paginated
/// alert lists, empty and null reports, SARIF of tools that do not look for secrets, gitleaks' own report pair, masked
/// metadata and TruffleHog findings on issue comments.</summary>
public class RealUpstreamParsingTests
{
    [Fact]
    public void Gh_paginate_pages_back_to_back_are_one_list_with_the_files_line_numbers()
    {
        var path = Real("github-alerts-paginated.json");
        var text = File.ReadAllText(path);

        using (var stream = File.OpenRead(path)) Assert.Equal(ImportFormats.GitHubAlerts, Parsers.Detect(stream));
        var findings = ParseFile("auto", path).Findings();

        Assert.Equal([2, 3, 4, 2], findings.Select(f => (int)f.AlertNumber!.Value));
        // The second page's only alert starts at the first '{' after "][".
        var page2 = text.IndexOf("][", StringComparison.Ordinal);
        var brace = text.IndexOf('{', page2);
        Assert.Equal(1 + text[..brace].Count(c => c == '\n'), findings[3].Line);
    }

    [Fact]
    public void Gh_paginate_slurp_reads_the_same_alerts_as_the_pages()
    {
        var paginated = ParseFile("auto", Real("github-alerts-paginated.json")).Findings();
        var slurped = ParseFile("auto", Real("github-alerts-slurped.json")).Findings();

        using (var stream = File.OpenRead(Real("github-alerts-slurped.json"))) Assert.Equal(ImportFormats.GitHubAlerts, Parsers.Detect(stream));
        Assert.Equal(paginated.Select(f => (f.AlertNumber, f.Secret, f.Repository)), slurped.Select(f => (f.AlertNumber, f.Secret, f.Repository)));
    }

    [Theory]
    [InlineData("\n\n")]
    [InlineData("")]
    [InlineData("\r\n  \t")]
    public void A_bad_record_on_a_later_page_is_rejected_alone_with_its_line(string between)
    {
        var page1 = File.ReadAllText(Real("github-alerts-many.json"));
        var text = page1 + between + "[\n  {\"number\": \"seven\", \"secret_type\": \"github_personal_access_token\"}\n]";

        var items = Parsers.Parse("auto", new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

        Assert.Equal(3, items.Findings().Count);
        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(1 + (page1 + between).Count(c => c == '\n') + 1, rejected.Line);
        Assert.Contains("number", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Paginated_alerts_stream_through_a_trickle_without_a_whole_file_read()
    {
        var bytes = File.ReadAllBytes(Real("github-alerts-paginated.json"));
        var findings = Parsers.Parse("auto", new TrickleStream(bytes)).Findings();

        Assert.Equal(4, findings.Count);
    }

    [Theory]
    [InlineData("github-alerts-empty.json")]
    public void An_empty_github_page_is_detected_as_no_findings_not_gitleaks(string file)
    {
        using var stream = File.OpenRead(Real(file));
        Assert.Equal(ImportFormats.NoFindings, Parsers.Detect(stream));
    }

    [Theory]
    [InlineData("[][]")]
    [InlineData("[]\n[]\n")]
    [InlineData("[[],[]]")]
    [InlineData(" [ ] ")]
    public void Empty_pages_are_no_findings(string text)
    {
        Assert.Equal(ImportFormats.NoFindings, Parsers.Detect(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        Assert.Empty(ParseText("auto", text));
    }

    [Fact]
    public void Empty_pages_then_alerts_are_github_alerts()
    {
        var text = "[]" + File.ReadAllText(Real("github-alerts-one.json"));

        Assert.Equal(ImportFormats.GitHubAlerts, Parsers.Detect(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        Assert.Single(ParseText("auto", text).Findings());
    }

    [Fact]
    public void A_null_report_is_rejected_with_a_message_saying_so()
    {
        var auto = Assert.Throws<ImportRejectedException>(() => ParseFile("auto", Real("gitleaks-null.json")));
        var gitleaks = Assert.Throws<ImportRejectedException>(() => ParseFile("gitleaks", Real("gitleaks-null.json")));
        var alerts = Assert.Throws<ImportRejectedException>(() => ParseFile("github-alerts", Real("gitleaks-null.json")));

        Assert.All(new[] { auto, gitleaks, alerts }, ex => Assert.Contains("only null, not a report", ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_codeql_sarif_is_rejected_as_not_a_secret_scanners_report()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseFile("auto", Real("sarif-codeql.sarif")));

        Assert.Contains("no result of a secret-scanning rule", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LGTM.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_mixed_sarif_only_secret_results_are_findings_and_the_others_are_skipped()
    {
        var items = ParseText("sarif", CodeQlWithGitleaksRun());

        Assert.Equal(CodeQlResultCount(), items.OfType<SkippedRecord>().Count());
        Assert.All(items.OfType<SkippedRecord>(), s => Assert.Equal("not a secret finding", s.Reason));
        var finding = Assert.Single(items.Findings());
        Assert.Equal("gitleaks", finding.Scanner);
    }

    [Theory]
    [InlineData(true, "py/hardcoded-credentials", "Hard-coded credentials", "security,external/cwe/cwe-259,external/cwe/cwe-798")]
    [InlineData(true, "generic.secrets.security.detected-private-key.detected-private-key", null, "")]
    [InlineData(true, "CKV_SECRET_2", "AWS Access Key", "")]
    [InlineData(true, "github-pat", null, "")]
    [InlineData(true, "aws-access-token", null, "secret,CRITICAL")]
    [InlineData(false, "py/duplicate-key-dict-literal", "Duplicate key in dict literal", "useless-code,external/cwe/cwe-561")]
    [InlineData(false, "py/paramiko-missing-host-key-validation", "Accepting unknown SSH host keys when using Paramiko", "security,external/cwe/cwe-295")]
    [InlineData(false, "js/missing-token-validation", "Missing CSRF middleware", "security,external/cwe/cwe-352")]
    [InlineData(false, "js/insufficient-password-hash", "Use of password hash with insufficient computational effort", "security,external/cwe/cwe-916")]
    [InlineData(false, "py/clear-text-logging-sensitive-data", "Clear-text logging of sensitive information", "security,external/cwe/cwe-312")]
    [InlineData(false, "py/unused-import", "Unused import", "maintainability,useless-code")]
    public void A_rule_is_a_secret_rule_by_its_words_and_tags(bool expected, string id, string? name, string tags)
    {
        var rule = new JsonObject { ["id"] = id, ["properties"] = new JsonObject { ["tags"] = new JsonArray([.. tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode)t)]) } };
        if (name is not null) rule["shortDescription"] = new JsonObject { ["text"] = name };
        var result = new JsonObject
        {
            ["ruleIndex"] = 0, ["message"] = new JsonObject { ["text"] = "m" },
            ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = "a.py" }, ["region"] = new JsonObject { ["startLine"] = 3 } } }),
        };
        var sarif = new JsonObject
        {
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = new JsonObject { ["name"] = "Some analyser", ["rules"] = new JsonArray(rule) } },
                ["results"] = new JsonArray(result),
            }),
        };

        if (expected)
        {
            Assert.Single(ParseText("sarif", sarif.ToJsonString()).Findings());
        }
        else
        {
            Assert.Throws<ImportRejectedException>(() => ParseText("sarif", sarif.ToJsonString()));
        }
    }

    [Fact]
    public void Gitleaks_sarif_snippet_is_the_secret_even_with_a_space()
    {
        var json = ParseFile("gitleaks", Real("gitleaks-simple.json")).Findings().Single();
        var sarif = ParseFile("sarif", Real("gitleaks-simple.sarif")).Findings().Single();

        Assert.Equal("a secret", json.Secret);
        Assert.Equal(json.Secret, sarif.Secret);
        Assert.Null(sarif.LocationKey);
    }

    [Fact]
    public void Gitleaks_sarif_multi_line_private_key_is_a_value_but_another_tools_is_not()
    {
        const string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEAAAA\n-----END OPENSSH PRIVATE KEY-----";

        var gitleaks = ParseText("sarif", SarifParserTests.Sarif("gitleaks", "private-key", key)).Findings().Single();
        var other = ParseText("sarif", SarifParserTests.Sarif("secretlint", "private-key", key)).Findings().Single();

        Assert.Equal(key, gitleaks.Secret);
        Assert.Null(other.Secret);
    }

    [Theory]
    [InlineData("ghp_abcdefghij...")]
    [InlineData("REDACTED")]
    public void Gitleaks_redacted_snippets_are_no_value(string snippet)
    {
        var finding = ParseText("sarif", SarifParserTests.Sarif("gitleaks", "github-pat", snippet)).Findings().Single();

        Assert.Null(finding.Secret);
        Assert.NotNull(finding.LocationKey);
    }

    [Fact]
    public void Masked_author_email_of_a_redacted_baseline_is_no_address()
    {
        var findings = ParseFile("auto", Real("gitleaks-baseline-redacted.json")).Findings();

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Null(f.AuthorEmail));
        Assert.All(findings, f => Assert.Null(f.Secret));
    }

    [Fact]
    public void A_trufflehog_finding_on_an_issue_comment_gets_the_repository_url()
    {
        var finding = ParseFile("auto", Real("trufflehog-issue-comment.jsonl")).Findings().Single();

        Assert.Equal("https://github.com/allegro/ralph", finding.Repository);
        Assert.Equal("https://github.com/allegro/ralph/issues/2298#issuecomment-299789367", finding.Link);
    }

    [Theory]
    [InlineData("ralph", "https://github.com/allegro/ralph/issues/1", "https://github.com/allegro/ralph")]
    [InlineData("allegro/ralph", "https://github.com/allegro/ralph/pull/2#issuecomment-3", "https://github.com/allegro/ralph")]
    [InlineData("other", "https://github.com/allegro/ralph/issues/1", "other")]
    [InlineData("https://github.com/a/b.git", "https://github.com/x/y/issues/1", "https://github.com/a/b")]
    public void A_bare_repository_name_is_completed_from_a_link_into_it(string repository, string link, string expected)
    {
        Assert.Equal(expected, ScannerText.RepositoryUsingLink(repository, link));
    }

    internal static string CodeQlWithGitleaksRun()
    {
        var codeql = JsonNode.Parse(File.ReadAllText(Real("sarif-codeql.sarif")))!;
        var gitleaks = JsonNode.Parse(File.ReadAllText(Real("gitleaks-simple.sarif")))!;
        codeql["runs"]!.AsArray().Add(gitleaks["runs"]![0]!.DeepClone());
        return codeql.ToJsonString();
    }

    internal static int CodeQlResultCount() =>
        JsonNode.Parse(File.ReadAllText(Real("sarif-codeql.sarif")))!["runs"]!.AsArray().Sum(r => r!["results"]!.AsArray().Count);
}
