using System.Text;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class GitleaksParserTests
{
    [Fact]
    public void Sample_yields_the_Hugging_Face_token_and_a_fine_grained_pat_at_their_element_lines()
    {
        var findings = ParseFile("gitleaks", Sample("gitleaks.json")).Findings();

        Assert.Equal(2, findings.Count);
        Assert.Equal([2, 22], findings.Select(f => f.Line));

        var hf = findings[0];
        Assert.Equal("Gitleaks", hf.Scanner);
        Assert.Equal("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", hf.Secret);
        Assert.Equal("huggingface-access-token", hf.Detector);
        Assert.Equal(TokenPlatform.HuggingFace, hf.Platform);
        Assert.Equal(TokenKind.HuggingFaceUserToken, hf.Kind);
        Assert.Equal(Verification.Unverified, hf.Verification);
        Assert.Equal(WriteCapability.Unknown, hf.WriteCapability);
        Assert.Equal("space/app.py", hf.File);
        Assert.Equal(4, hf.LineNumber);
        Assert.Equal(10, hf.Column);
        Assert.Equal("39a628929d72534c5606456edb8452e2fe6c6c76", hf.Commit);
        Assert.Equal("jdoe@example.com", hf.AuthorEmail);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero), hf.CommitTime);
        Assert.Null(hf.LocationKey);

        Assert.Equal(TokenKind.GitHubFineGrainedPat, findings[1].Kind);
        Assert.Equal(TokenPlatform.GitHub, findings[1].Platform);
    }

    [Fact]
    public void Same_token_as_TruffleHog_carries_the_same_secret()
    {
        var gitleaks = ParseFile("gitleaks", Sample("gitleaks.json")).Findings()[0];
        var trufflehog = ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings()[0];

        Assert.Equal(trufflehog.Secret, gitleaks.Secret);
    }

    [Fact]
    public void Real_v8_report_parses_with_empty_strings_as_null()
    {
        var findings = ParseFile("gitleaks", Real("gitleaks8-many.json")).Findings();

        Assert.Equal(4, findings.Count);
        Assert.Equal([2, 20, 38, 56], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal(TokenPlatform.Other, f.Platform));
        Assert.Equal(["aws-access-token", "aws-access-token", "RSA-PK", "generic-api-key"], findings.Select(f => f.Detector));
        Assert.Equal(230165, findings[1].Column);
        Assert.Equal("/conf/aws.tf", findings[0].File);
        Assert.Equal(64, findings[0].Commit!.Length);

        var empty = findings[2];
        Assert.Null(empty.Commit);
        Assert.Null(empty.AuthorEmail);
        Assert.Null(empty.CommitTime);
        // Only the PEM armour line, shared by every private key: no value, so the finding is keyed by its place.
        Assert.Null(empty.Secret);
        Assert.NotNull(empty.LocationKey);
        // The secret, not the whole match.
        Assert.Equal("dfjksdjfs3294dfjlsdaf213", findings[3].Secret);
    }

    [Fact]
    public void Two_findings_that_differ_only_in_commit_and_column_stay_two_records()
    {
        var findings = ParseFile("gitleaks", Real("gitleaks8-many.json")).Findings();

        Assert.Equal(findings[0].Secret, findings[1].Secret);
        Assert.NotEqual(findings[0].Commit, findings[1].Commit);
    }

    [Fact]
    public void Gitleaks_v7_report_is_rejected_naming_v7()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseFile("gitleaks", Real("gitleaks-7.5.0.json")));

        Assert.Contains("gitleaks v7", ex.Message);
        Assert.Contains("v8", ex.Message);
        Assert.Equal("gitleaks", ex.Format);
        Assert.Equal(2, ex.Line);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", ex.Message);
    }

    [Fact]
    public void Gitleaks_v7_report_is_rejected_under_auto_detection_too()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseFile("auto", Real("gitleaks-7.5.0.json")));

        Assert.Contains("gitleaks v7", ex.Message);
    }

    [Fact]
    public void Redacted_secret_becomes_a_location_keyed_finding()
    {
        var json = """[{"RuleID":"github-pat","Secret":"REDACTED","File":"a.sh","StartLine":3,"StartColumn":9,"Commit":"abc123"}]""";

        var finding = ParseText("gitleaks", json).Findings().Single();

        Assert.Null(finding.Secret);
        Assert.Equal("gitleaks|github-pat|a.sh|3|9|abc123", finding.LocationKey);
        Assert.Equal(TokenPlatform.GitHub, finding.Platform);
        Assert.Equal(TokenKind.GitHubClassicPat, finding.Kind);
    }

    [Fact]
    public void Fingerprint_does_not_make_identity_and_link_gives_the_repository()
    {
        var json = """[{"RuleID":"github-pat","Secret":"ghp_0123456789abcdefghijABCDEFGHIJ012345","File":"a.sh","StartLine":3,"Link":"https://github.com/o/r/blob/abc/a.sh#L3","Fingerprint":"abc:a.sh:github-pat:3"}]""";

        var finding = ParseText("gitleaks", json).Findings().Single();

        Assert.Null(finding.LocationKey);
        Assert.Equal("https://github.com/o/r", finding.Repository);
        Assert.Equal("https://github.com/o/r/blob/abc/a.sh#L3", finding.Link);
    }

    [Fact]
    public void Bad_elements_are_rejected_alone_with_their_line()
    {
        var json = "[\n" +
            """{"RuleID":"github-pat","Secret":"ghp_0123456789abcdefghijABCDEFGHIJ012345","File":"a","StartLine":1},""" + "\n" +
            """{"RuleID":"github-pat","Secret":"ghp_0123456789abcdefghijABCDEFGHIJ012345","File":"a","StartLine":"one"},""" + "\n" +
            "42,\n" +
            """{"RuleID":"github-pat","Secret":""},""" + "\n" +
            """{"RuleID":"github-pat","Secret":"ghp_0123456789abcdefghijABCDEFGHIJ012345","File":"b","StartLine":2}""" + "\n]";

        var items = ParseText("gitleaks", json);

        Assert.Equal([2, 6], items.Findings().Select(f => f.Line));
        var rejected = items.Rejected();
        Assert.Equal([3, 4, 5], rejected.Select(r => r.Line));
        Assert.Contains("StartLine", rejected[0].Reason);
        Assert.Contains("not a JSON object", rejected[1].Reason);
        Assert.Contains("no secret and no location", rejected[2].Reason);
    }

    [Fact]
    public void Invalid_utf8_inside_one_element_rejects_that_element_alone()
    {
        var before = Encoding.UTF8.GetBytes("[\n{\"RuleID\":\"github-pat\",\"Secret\":\"ghp_");
        var after = Encoding.UTF8.GetBytes("0123456789abcdefghijABCDEFGHIJ0123\",\"File\":\"a\"},\n" +
            "{\"RuleID\":\"github-pat\",\"Secret\":\"ghp_0123456789abcdefghijABCDEFGHIJ012345\",\"File\":\"b\"}\n]");
        var bytes = before.Concat(new byte[] { 0xC3, 0x28 }).Concat(after).ToArray();

        var items = ParseBytes("gitleaks", bytes);

        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(2, rejected.Line);
        Assert.Contains("UTF-8", rejected.Reason);
        Assert.Equal(3, Assert.Single(items.Findings()).Line);
    }

    [Fact]
    public void Empty_report_array_yields_nothing()
    {
        Assert.Empty(ParseText("gitleaks", "[]\n"));
        // GitHub writes [] too for a page without alerts: detection does not guess the tool (see RealUpstreamParsingTests).
        Assert.Equal(ImportFormats.NoFindings, Parsers.Detect(new MemoryStream("[]"u8.ToArray())));
    }
}
