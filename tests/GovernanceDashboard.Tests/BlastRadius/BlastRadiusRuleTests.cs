using GovernanceDashboard.BlastRadius;
using GovernanceDashboard.Domain;

namespace GovernanceDashboard.Tests.BlastRadius;

/// <summary>The worked examples of docs/metrics.md "Blast radius", figure for figure.</summary>
public class BlastRadiusRuleTests
{
    [Fact]
    public void A_repository_with_stars_forks_and_releases_counts_double_its_log_scaled_users()
    {
        // 1 + 10·1,200 + 5·300 = 13,501; log10 = 4.13037; doubled for releases: 8.26073.
        var score = BlastRadiusRule.Of(new ReachedArtefact(ArtefactKind.Repository, "acme/sdk", true, Stars: 1200, Forks: 300, Publishes: true));
        Assert.Equal(8.26073, score, 5);
    }

    [Fact]
    public void A_model_downloaded_999999_times_scores_six_and_an_unused_repository_nothing()
    {
        Assert.Equal(6.0, BlastRadiusRule.Of(new ReachedArtefact(ArtefactKind.Model, "acme-ai/llm", true, Downloads: 999_999)), 10);
        Assert.Equal(0.0, BlastRadiusRule.Of(new ReachedArtefact(ArtefactKind.Repository, "jdoe/notes", true)), 10);
    }

    [Fact]
    public void A_token_scores_the_sum_over_what_it_can_write_only()
    {
        var score = BlastRadiusRule.Score([
            new ReachedArtefact(ArtefactKind.Model, "acme-ai/llm", true, Downloads: 999_999),
            new ReachedArtefact(ArtefactKind.Dataset, "acme-ai/corpus", true, Downloads: 99),
            new ReachedArtefact(ArtefactKind.Repository, "other/big", false, Stars: 100_000),
        ]);
        // 6 + log10(100) = 8; the repository it can only read adds nothing.
        Assert.Equal(8.0, score, 10);
    }

    [Theory]
    [InlineData(WriteCapability.Write, TokenStatus.Exposed, 8.0)]
    [InlineData(WriteCapability.Write, TokenStatus.Active, 8.0)]
    [InlineData(WriteCapability.Write, TokenStatus.Revoked, 0.0)]
    [InlineData(WriteCapability.Write, TokenStatus.Expired, 0.0)]
    [InlineData(WriteCapability.Read, TokenStatus.Exposed, 0.0)]
    [InlineData(WriteCapability.Unknown, TokenStatus.Exposed, 0.0)]
    public void Read_only_revoked_and_expired_tokens_score_zero(WriteCapability write, TokenStatus status, double expected) =>
        Assert.Equal(expected, BlastRadiusRule.Effective(8.0, write, status));
}

/// <summary>Which Hugging Face namespaces whoami-v2 lets a token write.</summary>
public class WritableNamespacesTests
{
    private static IReadOnlyList<string> Of(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return HuggingFaceReachReader.WritableNamespaces(doc.RootElement);
    }

    [Fact]
    public void A_write_token_writes_its_user_and_the_organisations_where_the_user_writes()
    {
        Assert.Equal(["jdoe", "acme-ai", "ops"], Of("""
            {"name":"jdoe","orgs":[{"name":"acme-ai","roleInOrg":"write"},{"name":"readers","roleInOrg":"read"},{"name":"ops","roleInOrg":"admin"}],
             "auth":{"accessToken":{"role":"write"}}}
            """));
    }

    [Fact]
    public void A_fine_grained_token_writes_where_its_scoped_permissions_say_so_and_its_user_may()
    {
        Assert.Equal(["acme-ai", "jdoe"], Of("""
            {"name":"jdoe","orgs":[{"name":"acme-ai","roleInOrg":"write"},{"name":"readers","roleInOrg":"read"},{"name":"docs","roleInOrg":"write"}],
             "auth":{"accessToken":{"role":"fineGrained","fineGrained":{"scoped":[
                {"entity":{"type":"org","name":"acme-ai"},"permissions":["repo.content.read","repo.write"]},
                {"entity":{"type":"org","name":"readers"},"permissions":["repo.write"]},
                {"entity":{"type":"org","name":"docs"},"permissions":["repo.content.read"]},
                {"entity":{"type":"user","name":"jdoe"},"permissions":["repo.content.write"]}],"global":["discussion.write"]}}}}
            """));
    }

    [Fact]
    public void A_read_token_writes_nowhere() =>
        Assert.Empty(Of("""{"name":"jdoe","orgs":[{"name":"acme-ai","roleInOrg":"admin"}],"auth":{"accessToken":{"role":"read"}}}"""));
}
