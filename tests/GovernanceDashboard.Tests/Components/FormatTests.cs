using GovernanceDashboard.Components.Shared;
using GovernanceDashboard.Domain;

namespace GovernanceDashboard.Tests.Components;

public class FormatTests
{
    [Theory]
    [InlineData(40.0, "40 h")]
    [InlineData(47.94, "47.9 h")]
    [InlineData(48.0, "2 days")]
    [InlineData(70.0, "2.9 days")]
    [InlineData(7572.0, "315.5 days")]
    public void Durations_read_in_hours_under_two_days_and_in_days_above(double hours, string expected) => Assert.Equal(expected, Format.Hours(hours));

    [Fact]
    public void A_chart_uses_one_unit_for_all_its_values()
    {
        Assert.Equal(("hours", 1.0), Format.DurationScale([3, null, 40]));
        Assert.Equal(("days", 24.0), Format.DurationScale([3, 40, 7572]));
        Assert.Equal(("hours", 1.0), Format.DurationScale([null]));
    }

    [Theory]
    [InlineData(-30, "just now")]
    [InlineData(-600, "10 min ago")]
    [InlineData(-3 * 3600, "3 h ago")]
    [InlineData(-5 * 86400, "5 days ago")]
    [InlineData(4 * 86400 + 60, "in 4 days")]
    [InlineData(-400 * 86400, "2025-01-26")]
    public void Recent_instants_read_relative(int seconds, string expected)
    {
        var now = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, Format.Relative(now.AddSeconds(seconds), now));
    }

    /// <summary>Every value of every enum a page shows has words of its own (the raw name never leaks through a default).</summary>
    [Fact]
    public void Every_enum_value_shown_has_a_label_that_is_not_its_raw_name()
    {
        static void Check<T>(Func<T, string> label, params string[] allowedSame) where T : struct, Enum
        {
            foreach (var value in Enum.GetValues<T>())
            {
                var text = label(value);
                Assert.False(string.IsNullOrWhiteSpace(text));
                if (value.ToString() is var raw && raw.Any(char.IsUpper) && raw.Skip(1).Any(char.IsUpper) && !allowedSame.Contains(raw))
                    Assert.NotEqual(raw, text);
            }
        }
        Check<TokenKind>(Labels.Of);
        Check<TokenPlatform>(Labels.Of, "GitHub");
        Check<AttestationAnswer>(Labels.Of);
        Check<CampaignScope>(Labels.Of);
        Check<WriteCapability>(Labels.Of);
        Check<OwnerSource>(Labels.Of);
        Assert.Equal("Not answered", Labels.Of(AttestationAnswer.None));
        Assert.Equal("GitHub", Labels.Detector("Github"));
        Assert.Equal("Hugging Face", Labels.Detector("HuggingFace"));
    }
}
