using Bunit;
using GovernanceDashboard.Components.Shared;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Components;

/// <summary>The report's token lists: a suggested owner is labelled as a suggestion, never shown as if it were the owner.</summary>
public class TokenListTests
{
    private static TokenRow Row(int id, string? owner, string? ownerName, string? suggested, string? suggestedName) =>
        new(id, $"hf_…{id:0000}", TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, TokenStatus.Active, owner, true, suggested,
            WriteCapability.Read, "acct", "org", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true, ownerName, suggestedName);

    [Fact]
    public async Task No_owner_with_a_suggestion_says_suggested_and_the_name_muted()
    {
        await using var ctx = MudBunit.NewContext();
        var list = ctx.Render<TokenList>(p => p.Add(c => c.Rows, [
            Row(1, null, null, "ada@example.org", "Ada Lovelace"),
            Row(2, "bob@example.org", "Bob Byte", null, null),
            Row(3, null, null, null, null),
        ]));
        var owners = list.FindAll("[data-testid=token-list-owner]");
        Assert.Equal(3, owners.Count);

        var suggestion = owners[0].QuerySelector("[data-testid=suggested-owner]");
        Assert.NotNull(suggestion);
        Assert.Contains("gd-muted", suggestion.ClassList);
        Assert.Equal("suggested: Ada Lovelace", suggestion.TextContent.Trim());
        Assert.DoesNotContain("ada@example.org", owners[0].TextContent, StringComparison.Ordinal);
        Assert.NotNull(owners[0].QuerySelector("[title='ada@example.org']"));

        Assert.Equal("Bob Byte", owners[1].TextContent.Trim());
        Assert.Null(owners[1].QuerySelector("[data-testid=suggested-owner]"));
        Assert.Equal("no owner", owners[2].TextContent.Trim());
    }
}
