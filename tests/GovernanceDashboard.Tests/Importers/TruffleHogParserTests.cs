using System.Text;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class TruffleHogParserTests
{
    [Fact]
    public void Sample_yields_four_findings_with_platforms_kinds_and_verification()
    {
        var findings = ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings();

        Assert.Equal(4, findings.Count);
        Assert.Equal([1, 2, 3, 4], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal("TruffleHog", f.Scanner));
        Assert.Equal(
            [TokenKind.HuggingFaceUserToken, TokenKind.HuggingFaceUserToken, TokenKind.GitHubClassicPat, TokenKind.HuggingFaceOrgApiToken],
            findings.Select(f => f.Kind));
        Assert.Equal(
            [TokenPlatform.HuggingFace, TokenPlatform.HuggingFace, TokenPlatform.GitHub, TokenPlatform.HuggingFace],
            findings.Select(f => f.Platform));
        Assert.Equal(
            [Verification.Verified, Verification.Verified, Verification.Verified, Verification.Unverified],
            findings.Select(f => f.Verification));
        Assert.All(findings, f => Assert.Null(f.LocationKey));
    }

    [Fact]
    public void Hugging_Face_write_token_in_a_public_space_is_write_capable_with_account_and_orgs()
    {
        var hf = ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings()[0];

        Assert.Equal("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", hf.Secret);
        Assert.Equal("HuggingFace", hf.Detector);
        Assert.Equal("jdoe", hf.Account);
        Assert.Equal("write", hf.Role);
        Assert.Equal(WriteCapability.Write, hf.WriteCapability);
        Assert.Equal(["example:admin", "example-research:write"], hf.Organizations);
        // Huggingface source without a visibility field means public.
        Assert.Equal(RepoVisibility.Public, hf.Visibility);
        Assert.Equal("https://huggingface.co/spaces/example/chat", hf.Repository);
        Assert.Equal("app.py", hf.File);
        Assert.Equal(4, hf.LineNumber);
        Assert.Equal("fe990107021fb7f656c856e30e49a01e4b1120f7", hf.Commit);
        Assert.Equal("dev@acme.io", hf.AuthorEmail);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 10, 0, 0, TimeSpan.Zero), hf.CommitTime);
        Assert.StartsWith("https://huggingface.co/spaces/example/chat/blob/", hf.Link);
    }

    [Fact]
    public void Read_token_in_a_private_repository_is_read_only_and_private()
    {
        var hf = ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings()[1];

        Assert.Equal("read", hf.Role);
        Assert.Equal(WriteCapability.Read, hf.WriteCapability);
        Assert.Equal(RepoVisibility.Private, hf.Visibility);
        Assert.Equal("asmith", hf.Account);
    }

    [Fact]
    public void GitHub_pat_with_repo_scope_is_write_capable_and_git_source_visibility_is_unknown()
    {
        var gh = ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings()[2];

        Assert.Equal("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", gh.Secret);
        Assert.Equal(["repo", "workflow", "read:org"], gh.Scopes);
        Assert.Equal(WriteCapability.Write, gh.WriteCapability);
        Assert.Equal("jdoe", gh.Account);
        Assert.Equal(RepoVisibility.Unknown, gh.Visibility);
    }

    [Fact]
    public void Unverified_org_token_on_a_filesystem_has_unknown_scope_and_visibility()
    {
        var org = ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings()[3];

        Assert.Equal(TokenKind.HuggingFaceOrgApiToken, org.Kind);
        Assert.Equal(WriteCapability.Unknown, org.WriteCapability);
        Assert.Equal(RepoVisibility.Unknown, org.Visibility);
        Assert.Equal("/home/ci/.cache/hf_token", org.File);
        Assert.Equal(1, org.LineNumber);
        Assert.Null(org.Repository);
    }

    [Theory]
    [InlineData("trufflehog-v3-git.jsonl")]
    [InlineData("trufflehog-v3-github.jsonl")]
    public void Real_output_decodes_base64_Raw_into_the_clear_value(string file)
    {
        var findings = ParseFile("trufflehog", Real(file)).Findings();

        Assert.Equal(4, findings.Count);
        Assert.Equal("AKIAYVP4CIPPERUVIFXG", findings[0].Secret);
        Assert.Equal("https://admin:admin@the-internet.herokuapp.com/basic_auth", findings[1].Secret);
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFl", findings[2].Secret);
        Assert.EndsWith("-----END OPENSSH PRIVATE KEY-----\n", findings[2].Secret);
        Assert.All(findings, f => Assert.Equal(TokenPlatform.Other, f.Platform));
        Assert.All(findings, f => Assert.Equal(TokenKind.Other, f.Kind));
        Assert.All(findings, f => Assert.Equal(WriteCapability.Unknown, f.WriteCapability));
        Assert.Equal(["AWS", "URI", "PrivateKey", "URI"], findings.Select(f => f.Detector));
    }

    [Theory]
    [InlineData("trufflehog-v3-git.jsonl")]
    [InlineData("trufflehog-v3-github.jsonl")]
    public void Duplicate_line_is_kept_as_its_own_record_for_the_caller_to_dedupe(string file)
    {
        var findings = ParseFile("trufflehog", Real(file)).Findings();

        Assert.Equal(2, findings[1].Line);
        Assert.Equal(4, findings[3].Line);
        Assert.Equal(findings[1].Secret, findings[3].Secret);
        Assert.Equal(findings[1].File, findings[3].File);
        Assert.Equal(findings[1].LineNumber, findings[3].LineNumber);
        Assert.Equal(findings[1].Commit, findings[3].Commit);
    }

    [Fact]
    public void Go_timestamp_with_its_offset_written_twice_is_parsed()
    {
        var first = ParseFile("trufflehog", Real("trufflehog-v3-git.jsonl")).Findings()[0];

        Assert.Equal(new DateTimeOffset(2022, 6, 16, 10, 17, 40, TimeSpan.FromHours(-7)), first.CommitTime);
        Assert.Equal("counter@counters-MacBook-Air.local", first.AuthorEmail);
        Assert.Equal(RepoVisibility.Unknown, first.Visibility);
        Assert.Equal("https://github.com/trufflesecurity/test_keys", first.Repository);
    }

    [Fact]
    public void Github_source_repository_loses_its_git_suffix_and_missing_visibility_means_public()
    {
        var first = ParseFile("trufflehog", Real("trufflehog-v3-github.jsonl")).Findings()[0];

        Assert.Equal("https://github.com/trufflesecurity/test_keys", first.Repository);
        Assert.Equal(RepoVisibility.Public, first.Visibility);
        Assert.Equal("https://github.com/trufflesecurity/test_keys/blob/fbc14303ffbf8fb1c2c1914e8dda7d0121633aca/keys", first.Link);
    }

    [Theory]
    [InlineData("2026-09-01 10:00:00 +0000", "2026-09-01T10:00:00+00:00")]
    [InlineData("2022-06-16 10:17:40 -0700 -0700", "2022-06-16T10:17:40-07:00")]
    [InlineData("2022-06-16 10:17:40.5 -0700 PDT", "2022-06-16T10:17:40.5-07:00")]
    [InlineData("2024-01-02T03:04:05Z", "2024-01-02T03:04:05+00:00")]
    [InlineData("2024-01-02T03:04:05+02:00", "2024-01-02T03:04:05+02:00")]
    [InlineData("1700000000", "2023-11-14T22:13:20+00:00")]
    // Read by position (the common shape): no offset is UTC, the first offset after a zone name counts, leap days exist.
    [InlineData("2022-06-16 10:17:40", "2022-06-16T10:17:40+00:00")]
    [InlineData("2022-06-16 10:17:40 PDT -0700", "2022-06-16T10:17:40-07:00")]
    [InlineData("2022-06-16 10:17:40 +05:30", "2022-06-16T10:17:40+05:30")]
    [InlineData("2024-02-29 23:59:59 +0000 UTC", "2024-02-29T23:59:59+00:00")]
    public void Odd_timestamps_are_read(string timestamp, string expected)
    {
        var finding = ParseText("trufflehog", Line(timestamp: timestamp)).Findings().Single();

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), finding.CommitTime);
    }

    [Theory]
    [InlineData("yesterday at noon")]
    [InlineData("2022-13-45 99:99:99 +0000")]
    [InlineData("2023-02-29 10:00:00 +0000")]
    [InlineData("2023-01-01 24:00:00 +0000")]
    [InlineData("")]
    public void Hopeless_timestamp_becomes_null_without_rejecting_the_record(string timestamp)
    {
        var finding = ParseText("trufflehog", Line(timestamp: timestamp)).Findings().Single();

        Assert.Null(finding.CommitTime);
    }

    [Fact]
    public void RawV2_is_used_when_Raw_is_empty()
    {
        var json = """{"SourceMetadata":{"Data":{"Git":{"file":"a.py","line":1}}},"DetectorName":"Github","Verified":false,"Raw":"","RawV2":"ghs_aaaaBBBBccccDDDDeeeeFFFFggggHHHHiiii"}""";

        var finding = ParseText("trufflehog", json).Findings().Single();

        Assert.Equal("ghs_aaaaBBBBccccDDDDeeeeFFFFggggHHHHiiii", finding.Secret);
        Assert.Equal(TokenKind.GitHubAppInstallationToken, finding.Kind);
    }

    [Fact]
    public void Long_app_installation_token_is_kept_whole()
    {
        var token = "ghs_" + new string('x', 516);
        var finding = ParseText("trufflehog", Line(raw: token)).Findings().Single();

        Assert.Equal(520, finding.Secret!.Length);
        Assert.Equal(token, finding.Secret);
    }

    [Fact]
    public void Verified_classic_token_without_scopes_can_only_read()
    {
        var json = """{"SourceMetadata":{"Data":{"Github":{"repository":"https://github.com/o/r","file":"a","line":1}}},"DetectorName":"Github","Verified":true,"Raw":"ghp_0123456789abcdefghijABCDEFGHIJ012345","ExtraData":{"username":"u","account_type":"User"}}""";

        var finding = ParseText("trufflehog", json).Findings().Single();

        Assert.Equal(WriteCapability.Read, finding.WriteCapability);
        Assert.Empty(finding.Scopes);
        Assert.Equal("u", finding.Account);
    }

    [Fact]
    public void Fine_grained_GitHub_token_verified_without_permissions_is_unknown()
    {
        var json = """{"SourceMetadata":{"Data":{"Github":{"repository":"https://github.com/o/r","file":"a","line":1}}},"DetectorName":"Github","Verified":true,"Raw":"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU","ExtraData":{"username":"u"}}""";

        var finding = ParseText("trufflehog", json).Findings().Single();

        Assert.Equal(TokenKind.GitHubFineGrainedPat, finding.Kind);
        Assert.Equal(WriteCapability.Unknown, finding.WriteCapability);
    }

    [Fact]
    public void Hugging_Face_fine_grained_role_without_permissions_is_unknown()
    {
        var json = """{"SourceMetadata":{"Data":{"Huggingface":{"repository":"https://huggingface.co/o/r","file":"a","line":1}}},"DetectorName":"HuggingFace","Verified":true,"Raw":"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH","ExtraData":{"Username":"u","Token":"ci (fineGrained)"}}""";

        var finding = ParseText("trufflehog", json).Findings().Single();

        Assert.Equal("fineGrained", finding.Role);
        Assert.Equal(WriteCapability.Unknown, finding.WriteCapability);
    }

    [Fact]
    public void GitHub_expiry_is_read()
    {
        var json = """{"SourceMetadata":{"Data":{"Git":{"file":"a","line":1}}},"DetectorName":"Github","Verified":true,"Raw":"ghp_0123456789abcdefghijABCDEFGHIJ012345","ExtraData":{"username":"u","scopes":"read:org","expiry":"2026-12-31 00:00:00 +0000"}}""";

        var finding = ParseText("trufflehog", json).Findings().Single();

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), finding.ExpiresAt);
        Assert.Equal(WriteCapability.Read, finding.WriteCapability);
    }

    [Fact]
    public void Record_without_secret_but_with_a_location_gets_a_location_key()
    {
        var json = """{"SourceMetadata":{"Data":{"Git":{"repository":"https://github.com/o/r","file":"a.py","line":7,"commit":"abc"}}},"DetectorName":"HuggingFace","Verified":false,"Raw":""}""";

        var finding = ParseText("trufflehog", json).Findings().Single();

        Assert.Null(finding.Secret);
        Assert.Equal("trufflehog|HuggingFace|https://github.com/o/r/a.py|7||abc", finding.LocationKey);
        Assert.Equal(TokenPlatform.HuggingFace, finding.Platform);
    }

    [Fact]
    public void Record_without_secret_and_location_is_rejected_alone()
    {
        var text = Line() + "\n" + """{"SourceMetadata":{"Data":{}},"DetectorName":"HuggingFace","Raw":""}""" + "\n" + Line();

        var items = ParseText("trufflehog", text);

        Assert.Equal(2, items.Findings().Count);
        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(2, rejected.Line);
        Assert.Contains("no secret and no location", rejected.Reason);
    }

    [Fact]
    public void Wrong_types_reject_the_record_alone_naming_the_field()
    {
        var text = Line() + "\n" +
            """{"SourceMetadata":{"Data":{"Git":{"file":"a","line":"seven"}}},"DetectorName":"Github","Raw":"ghp_0123456789abcdefghijABCDEFGHIJ012345"}""" + "\n" +
            """{"SourceMetadata":{"Data":{"Git":{"file":"a","line":1}}},"DetectorName":"Github","Verified":"maybe","Raw":"ghp_0123456789abcdefghijABCDEFGHIJ012345"}""" + "\n" +
            """{"SourceMetadata":{"Data":{"Git":{"file":"a","line":1}}},"DetectorName":"Github","Raw":12}""";

        var items = ParseText("trufflehog", text);

        Assert.Single(items.Findings());
        var rejected = items.Rejected();
        Assert.Equal([2, 3, 4], rejected.Select(r => r.Line));
        Assert.Contains("line", rejected[0].Reason);
        Assert.Contains("Verified", rejected[1].Reason);
        Assert.Contains("Raw", rejected[2].Reason);
        Assert.All(rejected, r => Assert.DoesNotContain("ghp_", r.Reason));
    }

    [Fact]
    public void Blank_lines_and_CRLF_endings_are_accepted()
    {
        var text = "\r\n" + Line() + "\r\n\r\n" + Line() + "\r\n";

        var findings = ParseText("trufflehog", text).Findings();

        Assert.Equal([2, 4], findings.Select(f => f.Line));
    }

    [Fact]
    public void Parsing_through_tiny_reads_gives_the_same_findings()
    {
        var bytes = File.ReadAllBytes(Real("trufflehog-v3-github.jsonl"));
        using var trickle = new TrickleStream(bytes);

        var viaTrickle = Parsers.Parse("trufflehog", trickle).Findings();
        var direct = ParseFile("trufflehog", Real("trufflehog-v3-github.jsonl")).Findings();

        Assert.Equal(direct.Select(f => (f.Line, f.Secret, f.File)), viaTrickle.Select(f => (f.Line, f.Secret, f.File)));
    }

    internal static string Line(string raw = "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", string timestamp = "2026-09-01 10:00:00 +0000") =>
        "{\"SourceMetadata\":{\"Data\":{\"Git\":{\"repository\":\"https://github.com/o/r\",\"file\":\"a.py\",\"line\":3,\"timestamp\":\"" + timestamp +
        "\"}}},\"DetectorName\":\"HuggingFace\",\"Verified\":false,\"Raw\":\"" + raw + "\"}";

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
