using GovernanceDashboard.Domain;
using GovernanceDashboard.Workflows.Ownership;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>Recording a revocation is a remediation dated by the earliest evidence (docs/metrics.md), without storage.</summary>
public class RevocationRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static Token NewToken() => new() { Identity = "s:x", Mask = "hf_…abcd", Status = TokenStatus.Exposed, RevocationRequestedAt = T0 };

    [Fact]
    public void An_open_exposure_is_remediated_at_the_recorded_time_and_the_token_is_revoked()
    {
        var token = NewToken();
        var exposure = new Exposure { Id = 1, DetectedAt = T0, State = ExposureState.Open, Escrow = "cipher" };
        var changed = RevocationRules.Apply(token, [exposure], T0.AddHours(5), "revoked by its owner", "ada@acme.test");

        Assert.Equal([1], changed);
        Assert.Equal(ExposureState.Remediated, exposure.State);
        Assert.Equal(T0.AddHours(5), exposure.RemediatedAt);
        Assert.Equal("ada@acme.test", exposure.RemediatedBy);
        Assert.Null(exposure.Escrow);
        Assert.Equal(TokenStatus.Revoked, token.Status);
        Assert.Equal(T0.AddHours(5), token.RevokedAt);
        Assert.Null(token.RevocationRequestedAt);
    }

    [Fact]
    public void A_revocation_recorded_before_the_detection_remediates_at_the_detection()
    {
        var exposure = new Exposure { Id = 1, DetectedAt = T0, State = ExposureState.Open };
        var token = NewToken();
        RevocationRules.Apply(token, [exposure], T0.AddDays(-2), "rotated by its owner", "ada@acme.test");
        Assert.Equal(T0, exposure.RemediatedAt);
        Assert.Equal(T0.AddDays(-2), token.RevokedAt);
    }

    [Fact]
    public void Earlier_evidence_moves_remediation_earlier_and_later_evidence_changes_nothing()
    {
        var token = NewToken();
        token.RevokedAt = T0.AddHours(10);
        token.RevocationNote = "GitHub alert resolved as revoked";
        var exposure = new Exposure { Id = 1, DetectedAt = T0, State = ExposureState.Remediated, RemediatedAt = T0.AddHours(10) };

        Assert.Empty(RevocationRules.Apply(token, [exposure], T0.AddHours(20), "revoked by its owner", "ada"));
        Assert.Equal(T0.AddHours(10), exposure.RemediatedAt);
        Assert.Equal("GitHub alert resolved as revoked", token.RevocationNote);

        Assert.Equal([1], RevocationRules.Apply(token, [exposure], T0.AddHours(2), "revoked by its owner", "ada"));
        Assert.Equal(T0.AddHours(2), exposure.RemediatedAt);
        Assert.Equal(T0.AddHours(2), token.RevokedAt);
        Assert.Equal("revoked by its owner", token.RevocationNote);
    }

    [Fact]
    public void A_dismissed_exposure_stays_dismissed()
    {
        var exposure = new Exposure { Id = 1, DetectedAt = T0, State = ExposureState.Dismissed, DismissedAt = T0.AddHours(1) };
        Assert.Empty(RevocationRules.Apply(NewToken(), [exposure], T0.AddHours(2), "revoked by its owner", "ada"));
        Assert.Equal(ExposureState.Dismissed, exposure.State);
        Assert.Null(exposure.RemediatedAt);
    }

    [Fact]
    public void A_time_in_the_future_is_refused_beyond_a_little_clock_skew()
    {
        Assert.Null(RevocationRules.Validate(T0.AddMinutes(4), T0));
        Assert.NotNull(RevocationRules.Validate(T0.AddMinutes(6), T0));
        Assert.NotNull(RevocationRules.Validate(new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero), T0));
    }
}
