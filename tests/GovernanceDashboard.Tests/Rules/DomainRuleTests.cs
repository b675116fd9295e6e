using GovernanceDashboard.Domain;
using GovernanceDashboard.Metrics;

namespace GovernanceDashboard.Tests.Rules;

public class DomainRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static Token NewToken() => new() { Identity = "s:x", Mask = "hf_…abcd" };

    [Fact]
    public void A_token_is_revoked_from_its_revocation_time_on()
    {
        var token = NewToken();
        token.RevokedAt = T0;
        Assert.Equal(TokenStatus.Exposed, token.StatusAt(T0.AddTicks(-1), hasOpenExposure: true));
        Assert.Equal(TokenStatus.Revoked, token.StatusAt(T0, hasOpenExposure: true));
    }

    [Fact]
    public void An_expiry_in_the_past_makes_a_token_expired_but_revocation_wins()
    {
        var token = NewToken();
        token.ExpiresAt = T0;
        Assert.Equal(TokenStatus.Active, token.StatusAt(T0.AddHours(-1), false));
        Assert.Equal(TokenStatus.Expired, token.StatusAt(T0, false));
        token.RevokedAt = T0.AddHours(1);
        Assert.Equal(TokenStatus.Revoked, token.StatusAt(T0.AddHours(2), false));
    }

    [Fact]
    public void An_exposure_is_open_from_detection_until_it_closes()
    {
        var exposure = new Exposure { DetectedAt = T0, State = ExposureState.Remediated, RemediatedAt = T0.AddHours(5) };
        Assert.False(exposure.IsOpenAt(T0.AddTicks(-1)));
        Assert.True(exposure.IsOpenAt(T0));
        Assert.True(exposure.IsOpenAt(T0.AddHours(4.9)));
        Assert.False(exposure.IsOpenAt(T0.AddHours(5)));
    }

    [Fact]
    public void A_grant_covers_from_approval_until_expiry_or_withdrawal()
    {
        var grant = new WriteScopeGrant { ApprovedAt = T0, ExpiresAt = T0.AddDays(90) };
        Assert.False(grant.CoversAt(T0.AddTicks(-1)));
        Assert.True(grant.CoversAt(T0));
        Assert.False(grant.CoversAt(T0.AddDays(90)));
        grant.WithdrawnAt = T0.AddDays(10);
        Assert.False(grant.CoversAt(T0.AddDays(11)));
    }

    [Fact]
    public void Ratios_with_a_zero_denominator_are_null()
    {
        Assert.Null(Statistics.Ratio(0, 0));
        Assert.Equal(0.25, Statistics.Ratio(1, 4));
    }

    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2.5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.9, 3.7)]
    [InlineData(new double[] { 10 }, 0.9, 10)]
    [InlineData(new double[] { 1, 3, 5, 7, 9 }, 0.5, 5)]
    [InlineData(new double[] { 0, 10 }, 0.9, 9)]
    public void Percentiles_interpolate_linearly_between_closest_ranks(double[] sorted, double p, double expected)
    {
        Assert.Equal(expected, Statistics.Percentile([.. sorted], p)!.Value, precision: 9);
        // The same from the values in another order: they are selected, not assumed sorted.
        Assert.Equal(expected, Statistics.Percentile(sorted.Reverse().ToArray(), p)!.Value, precision: 9);
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.9)]
    [InlineData(5_001, 0.5)]
    [InlineData(10_000, 0.9)]
    [InlineData(10_000, 0.0)]
    [InlineData(10_000, 1.0)]
    public void Percentiles_selected_without_sorting_equal_those_read_off_the_sorted_values(int count, double p)
    {
        // Many repeated values (whole hours), as remediation times often are.
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(_ => (double)random.Next(0, count / 3 + 1)).ToArray();
        // The definition read off the sorted values.
        var sorted = values.Order().ToArray();
        var rank = p * (count - 1);
        var lower = (int)Math.Floor(rank);
        var expected = sorted[lower] + (rank - lower) * (sorted[Math.Min(lower + 1, count - 1)] - sorted[lower]);
        Assert.Equal(expected, Statistics.Percentile(values, p));
    }

    [Fact]
    public void A_percentile_of_nothing_is_null()
    {
        Assert.Null(Statistics.Percentile([], 0.5));
    }
}
