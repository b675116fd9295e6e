using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class GitHubAlertsParserTests
{
    [Fact]
    public void Sample_yields_three_alerts_with_state_resolution_and_validity()
    {
        var findings = ParseFile("github-alerts", Sample("github-alerts.json")).Findings();

        Assert.Equal(3, findings.Count);
        Assert.Equal([2, 46, 86], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal("GitHub", f.Scanner));
        Assert.Equal([TokenKind.GitHubClassicPat, TokenKind.HuggingFaceUserToken, TokenKind.GitHubOAuth], findings.Select(f => f.Kind));
        Assert.Equal([Verification.Inactive, Verification.Verified, Verification.Unknown], findings.Select(f => f.Verification));
        Assert.Equal(["resolved", "open", "resolved"], findings.Select(f => f.AlertState));
        Assert.Equal(["revoked", null, "false_positive"], findings.Select(f => f.AlertResolution));
        Assert.Equal([1L, 2L, 3L], findings.Select(f => f.AlertNumber!.Value));
    }

    [Fact]
    public void Revoked_alert_carries_its_dates_location_and_public_repository()
    {
        var pat = ParseFile("github-alerts", Sample("github-alerts.json")).Findings()[0];

        Assert.Equal("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", pat.Secret);
        Assert.Equal("github_personal_access_token", pat.Detector);
        Assert.Equal(new DateTimeOffset(2026, 9, 3, 8, 15, 0, TimeSpan.Zero), pat.AlertCreatedAt);
        Assert.Equal(new DateTimeOffset(2026, 9, 4, 10, 0, 0, TimeSpan.Zero), pat.AlertResolvedAt);
        Assert.Equal("https://github.com/example/infra", pat.Repository);
        Assert.Equal(RepoVisibility.Public, pat.Visibility);
        Assert.Equal("src/app.py", pat.File);
        Assert.Equal(3, pat.LineNumber);
        Assert.Equal(5, pat.Column);
        Assert.Equal("64d6556ed7e8f5b82bda4a46146be9b615942afe", pat.Commit);
        Assert.Equal("https://github.com/example/infra/security/secret-scanning/1", pat.Link);
        Assert.False(pat.PubliclyLeaked);
        Assert.Equal(WriteCapability.Unknown, pat.WriteCapability);
        Assert.Null(pat.LocationKey);
    }

    [Fact]
    public void Real_alerts_of_other_providers_become_platform_Other()
    {
        var findings = ParseFile("github-alerts", Real("github-alerts-many.json")).Findings();

        Assert.Equal(3, findings.Count);
        Assert.Equal([TokenPlatform.Other, TokenPlatform.Other, TokenPlatform.GitHub], findings.Select(f => f.Platform));
        Assert.Equal([Verification.Verified, Verification.Verified, Verification.Inactive], findings.Select(f => f.Verification));
        Assert.Equal(["false_positive", null, "revoked"], findings.Select(f => f.AlertResolution));
        Assert.True(findings[1].PubliclyLeaked);
        Assert.Null(findings[1].AlertResolvedAt);
        Assert.Equal("/example/secrets.txt", findings[0].File);
        Assert.All(findings, f => Assert.Equal("https://github.com/octocat/Hello-World", f.Repository));
    }

    [Fact]
    public void Real_single_alert_parses()
    {
        var finding = ParseFile("github-alerts", Real("github-alerts-one.json")).Findings().Single();

        Assert.Equal("adafruit_io_key", finding.Detector);
        Assert.Equal(TokenPlatform.Other, finding.Platform);
        Assert.Equal("false_positive", finding.AlertResolution);
        Assert.Equal(Verification.Verified, finding.Verification);
    }

    [Fact]
    public void Hidden_secret_is_keyed_by_repository_and_alert_number()
    {
        var json = """
            [{"number": 42, "created_at": "2026-09-10T12:00:00Z", "state": "open", "secret_type": "hf_org_api_key",
              "repository": {"full_name": "example/notebooks", "private": true}, "validity": "unknown"}]
            """;

        var finding = ParseText("github-alerts", json).Findings().Single();

        Assert.Null(finding.Secret);
        Assert.Equal("github:example/notebooks#42", finding.LocationKey);
        Assert.Equal(TokenPlatform.HuggingFace, finding.Platform);
        Assert.Equal(TokenKind.HuggingFaceOrgApiToken, finding.Kind);
        Assert.Equal(RepoVisibility.Private, finding.Visibility);
        Assert.Equal("https://github.com/example/notebooks", finding.Repository);
    }

    [Fact]
    public void Hidden_secret_without_repository_or_number_is_rejected_alone()
    {
        var json = """
            [{"number": 1, "state": "open", "secret_type": "github_personal_access_token", "secret": "ghp_0123456789abcdefghijABCDEFGHIJ012345", "repository": {"full_name": "o/r"}},
             {"state": "open", "secret_type": "github_personal_access_token", "repository": {"full_name": "o/r"}}]
            """;

        var items = ParseText("github-alerts", json);

        Assert.Single(items.Findings());
        Assert.Equal(2, Assert.Single(items.Rejected()).Line);
    }

    [Fact]
    public void Missing_validity_is_unknown()
    {
        var json = """[{"number": 1, "state": "open", "secret_type": "github_refresh_token", "secret": "ghr_0123456789abcdefghijABCDEFGHIJ012345", "repository": {"full_name": "o/r"}}]""";

        var finding = ParseText("github-alerts", json).Findings().Single();

        Assert.Equal(Verification.Unknown, finding.Verification);
        Assert.Equal(TokenKind.GitHubRefreshToken, finding.Kind);
        Assert.Equal(RepoVisibility.Unknown, finding.Visibility);
    }
}
