using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class SarifParserTests
{
    [Fact]
    public void Sample_snippet_holding_the_secret_gives_the_secret()
    {
        var findings = ParseFile("sarif", Sample("gitleaks.sarif")).Findings();

        Assert.Equal(2, findings.Count);
        var hf = findings[0];
        Assert.Equal(15, hf.Line);
        Assert.Equal("gitleaks", hf.Scanner);
        Assert.Equal("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", hf.Secret);
        Assert.Equal("huggingface-access-token", hf.Detector);
        Assert.Equal(TokenPlatform.HuggingFace, hf.Platform);
        Assert.Equal("space/app.py", hf.File);
        Assert.Equal(4, hf.LineNumber);
        Assert.Equal(1, hf.Column);
        Assert.Equal("dev@acme.io", hf.AuthorEmail);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero), hf.CommitTime);
        // gitleaks writes an all-zero commit when it scanned no git history.
        Assert.Null(hf.Commit);
        Assert.Equal(Verification.Unverified, hf.Verification);
        Assert.Null(hf.LocationKey);
    }

    [Fact]
    public void Result_without_the_secret_is_keyed_by_tool_rule_uri_line_column_and_fingerprint()
    {
        var pat = ParseFile("sarif", Sample("gitleaks.sarif")).Findings()[1];

        Assert.Null(pat.Secret);
        Assert.Equal(
            "gitleaks|github-pat|deploy/push.sh|2|1|author=Dev;commitSha=0000000000000000000000000000000000000000;date=2026-09-01T10:00:00Z;email=dev@acme.io",
            pat.LocationKey);
        Assert.Equal(TokenPlatform.GitHub, pat.Platform);
        Assert.Equal(TokenKind.GitHubClassicPat, pat.Kind);
    }

    [Theory]
    [InlineData("hf_abc***")]
    [InlineData("REDACTED")]
    [InlineData("TOKEN = \"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\"")]
    [InlineData("export HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyzABCDEFGH")]
    public void Masked_or_whole_line_snippet_is_not_taken_as_the_secret(string snippet)
    {
        var finding = ParseText("sarif", Sarif("secretlint", "@secretlint/secretlint-rule-preset-recommend > @secretlint/secretlint-rule-huggingface", snippet))
            .Findings().Single();

        Assert.Null(finding.Secret);
        Assert.Equal("secretlint|@secretlint/secretlint-rule-preset-recommend > @secretlint/secretlint-rule-huggingface|app.py|4|7", finding.LocationKey);
        Assert.Equal(TokenPlatform.HuggingFace, finding.Platform);
        Assert.Equal("secretlint", finding.Scanner);
    }

    [Fact]
    public void Real_gitleaks_v7_sarif_takes_rule_from_message_and_secret_from_offender()
    {
        var findings = ParseFile("sarif", Real("sarif-gitleaks.sarif")).Findings();

        Assert.Equal(8, findings.Count);
        Assert.Equal([151, 180, 209, 238, 267, 296, 325, 354], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal("Gitleaks", f.Scanner));
        Assert.All(findings, f => Assert.Equal(TokenPlatform.Other, f.Platform));
        Assert.Equal("AWS Access Key", findings[0].Detector);
        Assert.Equal("Asymmetric Private Key", findings[2].Detector);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", findings[0].Secret);
        // The offender is only the PEM armour line, shared by every private key: no value, keyed by its place.
        Assert.Null(findings[2].Secret);
        Assert.NotNull(findings[2].LocationKey);
        Assert.Equal("6d127980966808f7413935678e079dcd7fedf9c2", findings[0].Commit);
        Assert.Equal("nate.bwangsut@gmail.com", findings[0].AuthorEmail);
        Assert.Equal(new DateTimeOffset(2021, 7, 15, 22, 0, 32, TimeSpan.FromHours(7)), findings[0].CommitTime);
        Assert.Equal(13, findings[0].LineNumber);
        Assert.Null(findings[0].Column);
        // repo "." says nothing.
        Assert.Null(findings[0].Repository);
    }

    [Fact]
    public void Rule_index_points_into_the_driver_rules_and_several_runs_are_read()
    {
        var json = """
            {"version": "2.1.0", "runs": [
              {"tool": {"driver": {"name": "one", "rules": [{"id": "x"}, {"id": "github-oauth"}]}},
               "results": [{"ruleIndex": 1, "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 1}}}]}]},
              {"results": [{"ruleId": "huggingface-access-token", "locations": [{"physicalLocation": {"artifactLocation": {"uri": "b"}, "region": {"startLine": 2, "snippet": {"text": "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"}}}}]}],
               "tool": {"driver": {"name": "two"}}}
            ]}
            """;

        var findings = ParseText("sarif", json).Findings();

        Assert.Equal(2, findings.Count);
        Assert.Equal("github-oauth", findings[0].Detector);
        Assert.Equal(TokenKind.GitHubOAuth, findings[0].Kind);
        Assert.Equal("one", findings[0].Scanner);
        // Results before the tool: the scanner is not known yet when they stream by.
        Assert.Equal(SarifParser.UnnamedScanner, findings[1].Scanner);
        Assert.Equal("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", findings[1].Secret);
    }

    [Fact]
    public void Rule_taken_from_a_message_drops_anything_that_could_be_the_secret()
    {
        var json = """{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"message":{"text":"GitHub token ghp_0123456789abcdefghijABCDEFGHIJ012345 AKIAIOSFODNN7EXAMPLE secret detected"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":1,"snippet":{"text":"***"}}}}]}]}]}""";

        var finding = ParseText("sarif", json).Findings().Single();

        Assert.Equal("GitHub token", finding.Detector);
        Assert.DoesNotContain("ghp_", finding.LocationKey);
        Assert.DoesNotContain("AKIA", finding.LocationKey);
    }

    [Fact]
    public void Result_without_secret_and_location_is_rejected_alone()
    {
        var json = """{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"github-pat","message":{"text":"x"}}]}]}""";

        var items = ParseText("sarif", json);

        Assert.Contains("no secret and no location", Assert.Single(items.Rejected()).Reason);
    }

    [Fact]
    public void Object_without_runs_is_not_sarif()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText("sarif", """{"version":"2.1.0"}"""));

        Assert.Contains("runs", ex.Message);
        Assert.Contains("sarif", ex.Message);
    }

    [Fact]
    public void Other_sarif_version_is_rejected()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText("sarif", """{"version":"1.0.0","runs":[]}"""));

        Assert.Contains("version", ex.Message);
    }

    internal static string Sarif(string tool, string rule, string snippet) =>
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"" + tool + "\"}},\"results\":[{\"ruleId\":\"" + rule +
        "\",\"message\":{\"text\":\"found\"},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"app.py\"},\"region\":{\"startLine\":4,\"startColumn\":7,\"snippet\":{\"text\":" +
        System.Text.Json.JsonSerializer.Serialize(snippet) + "}}}}]}]}]}";
}
