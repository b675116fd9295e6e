using GovernanceDashboard.Audit;
using GovernanceDashboard.Domain;

namespace GovernanceDashboard.Tests.Audit;

public class AuditTextTests
{
    private static AuditEvent Event(string kind, string? after = null, string? before = null, string? subject = "token:7") => new()
    {
        Id = 1, At = DateTimeOffset.UnixEpoch, Actor = "sec.lead@acme.example", Kind = kind, Subject = subject, Before = before, After = after,
        PreviousHash = AuditTrail.GenesisHash, Hash = "",
    };

    [Fact]
    public void An_approval_reads_as_a_sentence_with_its_grants_end()
    {
        var e = Event("writescope.approved", """{"requestId":3,"status":"Approved","grantExpiresAt":"2027-03-01T10:00:00+00:00"}""");
        Assert.Equal("Sam Lead approved write scope for hf_…x9Qz until 2027-03-01", AuditText.Sentence(e, "Sam Lead", "hf_…x9Qz"));
    }

    [Theory]
    [InlineData("exposure.dismissed", """{"reason":"false_positive"}""", "dismissed the exposure of hf_…x9Qz (false positive)")]
    [InlineData("token.owner.assigned", """{"owner":"ann@acme.example","source":"Manual"}""", "made ann@acme.example the owner of hf_…x9Qz")]
    [InlineData("attestation.answered", """{"answer":"ReduceScope"}""", "attested hf_…x9Qz (reduce scope)")]
    [InlineData("some.new-kind", null, "some new kind hf_…x9Qz")]
    [InlineData("writescope.requested", "not json {", "asked for write scope for hf_…x9Qz")]
    public void Each_kind_reads_as_words_and_bad_json_never_breaks_it(string kind, string? after, string expected)
    {
        var sentence = AuditText.Sentence(Event(kind, after), "Sam Lead", "hf_…x9Qz");
        Assert.StartsWith("Sam Lead ", sentence, StringComparison.Ordinal);
        Assert.Contains(expected, sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("ReduceScope", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_change_says_from_what_to_what()
    {
        var e = Event("person.roles", "\"Analyst, Approver\"", "\"None\"", "person:ann@acme.example");
        Assert.Equal("Sam Lead changed the roles of Ann from owner only to Analyst, Approver", AuditText.Sentence(e, "Sam Lead", "Ann"));
    }

    [Theory]
    [InlineData("token:12", 12)]
    [InlineData("token:x", null)]
    [InlineData("person:12", null)]
    [InlineData(null, null)]
    public void A_token_subject_gives_its_id(string? subject, int? id) => Assert.Equal(id, AuditText.TokenId(subject));
}
