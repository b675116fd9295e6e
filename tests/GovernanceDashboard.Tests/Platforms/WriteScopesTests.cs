using GovernanceDashboard.Domain;
using GovernanceDashboard.Platforms;
using Xunit;

namespace GovernanceDashboard.Tests.Platforms;

public class WriteScopesTests
{
    [Theory]
    [InlineData("write", WriteCapability.Write)]
    [InlineData("WRITE", WriteCapability.Write)]
    [InlineData("read", WriteCapability.Read)]
    [InlineData("fineGrained", WriteCapability.Unknown)]
    [InlineData(null, WriteCapability.Unknown)]
    [InlineData("owner", WriteCapability.Unknown)]
    public void Hugging_Face_role_decides_write_scope(string? role, WriteCapability expected)
    {
        Assert.Equal(expected, WriteScopes.ForHuggingFace(role));
    }

    [Theory]
    [InlineData(new[] { "repo.content.read", "repo.write" }, WriteCapability.Write)]
    [InlineData(new[] { "org.write" }, WriteCapability.Write)]
    [InlineData(new[] { "repo.content.write" }, WriteCapability.Write)]
    [InlineData(new[] { "repo.content.read", "inference.serverless.call" }, WriteCapability.Read)]
    [InlineData(new string[0], WriteCapability.Read)]
    public void Hugging_Face_fine_grained_permissions_write_when_any_ends_in_write(string[] permissions, WriteCapability expected)
    {
        Assert.Equal(expected, WriteScopes.ForHuggingFace("fineGrained", permissions));
    }

    [Theory]
    [InlineData(new[] { "repo" }, WriteCapability.Write)]
    [InlineData(new[] { "workflow" }, WriteCapability.Write)]
    [InlineData(new[] { "public_repo" }, WriteCapability.Write)]
    [InlineData(new[] { "gist" }, WriteCapability.Write)]
    [InlineData(new[] { "admin:org" }, WriteCapability.Write)]
    [InlineData(new[] { "read:org", "repo" }, WriteCapability.Write)]
    [InlineData(new[] { "read:org" }, WriteCapability.Read)]
    [InlineData(new[] { "read:user", "read:packages", "notifications", "user:email" }, WriteCapability.Read)]
    public void GitHub_classic_scopes_write_except_read_notifications_and_user_email(string[] scopes, WriteCapability expected)
    {
        Assert.Equal(expected, WriteScopes.ForGitHubClassic(scopes, verified: true));
        Assert.Equal(expected, WriteScopes.ForGitHubClassic(scopes, verified: false));
    }

    [Fact]
    public void Verified_classic_token_with_no_scopes_can_only_read()
    {
        Assert.Equal(WriteCapability.Read, WriteScopes.ForGitHubClassic([], verified: true));
    }

    [Fact]
    public void Unverified_or_unknown_scopes_are_unknown()
    {
        Assert.Equal(WriteCapability.Unknown, WriteScopes.ForGitHubClassic([], verified: false));
        Assert.Equal(WriteCapability.Unknown, WriteScopes.ForGitHubClassic(null, verified: true));
    }

    [Fact]
    public void GitHub_fine_grained_permission_at_write_or_admin_is_write()
    {
        Assert.Equal(WriteCapability.Write, WriteScopes.ForGitHubFineGrained([new("contents", "write"), new("metadata", "read")]));
        Assert.Equal(WriteCapability.Write, WriteScopes.ForGitHubFineGrained([new("administration", "admin")]));
        Assert.Equal(WriteCapability.Read, WriteScopes.ForGitHubFineGrained([new("contents", "read"), new("metadata", "read")]));
        Assert.Equal(WriteCapability.Unknown, WriteScopes.ForGitHubFineGrained(null));
    }

    [Theory]
    [InlineData("repo", true)]
    [InlineData("read:org", false)]
    [InlineData("notifications", false)]
    [InlineData("user:email", false)]
    [InlineData("user", true)]
    [InlineData("delete_repo", true)]
    public void Single_classic_scope_is_classified(string scope, bool writes)
    {
        Assert.Equal(writes, WriteScopes.IsGitHubClassicWriteScope(scope));
    }
}
