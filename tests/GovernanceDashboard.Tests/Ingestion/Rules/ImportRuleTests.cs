using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion.Rules;

namespace GovernanceDashboard.Tests.Ingestion.Rules;

public class SeverityRuleTests
{
    [Theory]
    [InlineData(Verification.Inactive, WriteCapability.Write, true, Severity.Low)]
    [InlineData(Verification.Verified, WriteCapability.Write, true, Severity.Critical)]
    [InlineData(Verification.Verified, WriteCapability.Write, false, Severity.High)]
    [InlineData(Verification.Verified, WriteCapability.Read, true, Severity.High)]
    [InlineData(Verification.Verified, WriteCapability.Unknown, true, Severity.High)]
    [InlineData(Verification.Unverified, WriteCapability.Write, true, Severity.Medium)]
    [InlineData(Verification.Unknown, WriteCapability.Unknown, false, Severity.Medium)]
    public void Severity_at_detection_follows_verification_write_access_and_publicity(Verification verification, WriteCapability write, bool isPublic, Severity expected) =>
        Assert.Equal(expected, SeverityRule.AtDetection(verification, write, isPublic));

    [Theory]
    [InlineData(RepoVisibility.Public, false, true)]
    [InlineData(RepoVisibility.Private, true, true)]
    [InlineData(RepoVisibility.Private, false, false)]
    [InlineData(RepoVisibility.Unknown, false, false)]
    public void A_finding_is_public_in_a_public_repository_or_when_it_leaked_publicly(RepoVisibility visibility, bool leaked, bool expected) =>
        Assert.Equal(expected, SeverityRule.IsPublic(new Finding(1) { Scanner = "TruffleHog", Detector = "HuggingFace", Visibility = visibility, PubliclyLeaked = leaked }));
}

public class AlertStateRuleTests
{
    private static readonly DateTimeOffset Scanned = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ResolvedAt = new(2026, 10, 20, 12, 0, 0, TimeSpan.Zero);

    private static Finding Alert(string state, string? resolution, Verification verification = Verification.Unknown, DateTimeOffset? resolvedAt = null, string scanner = "GitHub") =>
        new(1)
        {
            Scanner = scanner, Detector = "github_personal_access_token", AlertNumber = 7, AlertState = state, AlertResolution = resolution,
            AlertResolvedAt = resolvedAt, Verification = verification,
        };

    [Fact]
    public void Resolved_as_revoked_remediates_at_resolved_at() =>
        Assert.Equal(new AlertOutcome(true, null, ResolvedAt, "GitHub alert resolved as revoked", ResolvedAt),
            AlertStateRule.Decide(Alert("resolved", "revoked", resolvedAt: ResolvedAt), Scanned));

    [Theory]
    [InlineData("false_positive")]
    [InlineData("used_in_tests")]
    [InlineData("wont_fix")]
    public void A_persons_resolution_dismisses_at_resolved_at(string resolution) =>
        Assert.Equal(new AlertOutcome(false, resolution, ResolvedAt, null, null),
            AlertStateRule.Decide(Alert("resolved", resolution, Verification.Verified, ResolvedAt), Scanned));

    [Fact]
    public void A_dismissal_wins_over_inactive_validity_which_still_revokes_the_token_from_the_scan_time() =>
        Assert.Equal(new AlertOutcome(false, "false_positive", ResolvedAt, null, Scanned),
            AlertStateRule.Decide(Alert("resolved", "false_positive", Verification.Inactive, ResolvedAt), Scanned));

    [Fact]
    public void Inactive_validity_alone_remediates_at_the_scan_time() =>
        Assert.Equal(new AlertOutcome(true, null, Scanned, "GitHub reported the token inactive", Scanned),
            AlertStateRule.Decide(Alert("open", null, Verification.Inactive), Scanned));

    [Fact]
    public void Without_resolved_at_the_scan_time_dates_the_resolution() =>
        Assert.Equal(Scanned, AlertStateRule.Decide(Alert("resolved", "revoked"), Scanned).At);

    [Theory]
    [InlineData("open", null, Verification.Verified, "GitHub")]
    [InlineData("resolved", "pattern_deleted", Verification.Unknown, "GitHub")]
    [InlineData("resolved", "revoked", Verification.Inactive, "TruffleHog")]
    public void Other_states_and_other_scanners_change_nothing(string state, string? resolution, Verification verification, string scanner) =>
        Assert.Same(AlertOutcome.None, AlertStateRule.Decide(Alert(state, resolution, verification, scanner: scanner), Scanned));

    [Fact]
    public void An_alert_resolved_as_revoked_says_nothing_about_validity_at_detection()
    {
        Assert.Equal(Verification.Unknown, AlertStateRule.VerificationAtDetection(Alert("resolved", "revoked", Verification.Verified)));
        Assert.Equal(Verification.Verified, AlertStateRule.VerificationAtDetection(Alert("open", null, Verification.Verified)));
    }
}
