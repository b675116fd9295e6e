using GovernanceDashboard.Platforms;
using Xunit;

namespace GovernanceDashboard.Tests.Platforms;

public class TokenMaskTests
{
    [Theory]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyzABCDx9Qz", "hf_…x9Qz")]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ01a1B2", "ghp_…a1B2")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijWXYZ", "github_pat_…WXYZ")]
    [InlineData("api_org_abcdefghijklmnopqrstuvwxyzABCDEFGH", "api_org_…EFGH")]
    [InlineData("AKIAIOSFODNN7EXAMPLE", "AKIA…MPLE")]
    public void Mask_shows_the_prefix_and_the_last_four(string secret, string expected)
    {
        Assert.Equal(expected, TokenMask.For(secret));
    }

    [Fact]
    public void Long_app_installation_token_is_masked_from_its_whole_value()
    {
        var token = "ghs_" + new string('x', 512) + "TAIL";

        Assert.Equal("ghs_…TAIL", TokenMask.For(token));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("abcdefg")]
    [InlineData("abcdefghij")]
    [InlineData("abcdefghijk")]
    [InlineData("hf_abc")]
    [InlineData("ghp_abcdefg")]
    public void Short_secrets_show_at_most_the_last_four_and_never_most_of_the_value(string secret)
    {
        var mask = TokenMask.For(secret);
        var shown = mask.Replace("…", "", StringComparison.Ordinal);
        var prefix = TokenClassifier.KnownPrefixOf(secret) ?? "";

        Assert.True(shown.Length - prefix.Length <= 4, mask);
        Assert.True((shown.Length - prefix.Length) * 2 <= secret.Length - prefix.Length, mask);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_secret_is_not_available(string? secret)
    {
        Assert.Equal(TokenMask.NotAvailable, TokenMask.For(secret));
        Assert.Equal("secret not available", TokenMask.NotAvailable);
    }

    [Fact]
    public void Multi_line_private_key_mask_has_no_line_breaks()
    {
        var key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

        var mask = TokenMask.For(key);

        Assert.Equal("----…----", mask);
    }

    [Fact]
    public void Mask_never_holds_more_than_eight_characters_of_an_unknown_value()
    {
        var secret = new string('s', 100);

        Assert.Equal(9, TokenMask.For(secret).Length);
    }
}
