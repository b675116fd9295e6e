using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Metrics;

/// <summary>Every figure of docs/metrics.md on small, hand-computed scenarios (the expected numbers are worked out in the comments).</summary>
public class MetricsScenarioTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Scenario : IAsyncDisposable
    {
        public TestStore Store { get; } = new();
        private int _n;

        // One projection for the scenario: figures asked for after further changes come from its incremental refresh.
        private GovernanceFacts? _facts;

        public MetricsService Metrics => new(_facts ??= new GovernanceFacts(Store.Factory, NullLogger<GovernanceFacts>.Instance), Store.Factory, new FakeTimeProvider(AsOf));

        public async Task<Scenario> InitAsync()
        {
            await Store.MigrateAsync();
            return this;
        }

        public async Task<Person> PersonAsync(string email, bool active = true, string? team = "Research")
        {
            await using var db = Store.Factory.CreateDbContext();
            var p = new Person { Email = email, DisplayName = email, Active = active, Team = team };
            db.People.Add(p);
            await db.SaveChangesAsync();
            return p;
        }

        public async Task<Token> TokenAsync(DateTimeOffset firstSeen, WriteCapability write = WriteCapability.Read, Person? owner = null,
            Person? suggested = null, DateTimeOffset? revokedAt = null, DateTimeOffset? expiresAt = null, TokenPlatform platform = TokenPlatform.HuggingFace)
        {
            await using var db = Store.Factory.CreateDbContext();
            var t = new Token
            {
                Identity = $"s:{++_n}", Mask = $"hf_…{_n:0000}", Identified = true, Platform = platform, WriteCapability = write,
                OwnerId = owner?.Id, SuggestedOwnerId = suggested?.Id, FirstSeenAt = firstSeen, LastSeenAt = firstSeen,
                RevokedAt = revokedAt, ExpiresAt = expiresAt,
            };
            db.Tokens.Add(t);
            await db.SaveChangesAsync();
            return t;
        }

        public async Task ExposureAsync(Token token, DateTimeOffset detected, Severity severity = Severity.High,
            DateTimeOffset? remediated = null, DateTimeOffset? dismissed = null)
        {
            await using var db = Store.Factory.CreateDbContext();
            db.Exposures.Add(new Exposure
            {
                TokenId = token.Id, DetectedAt = detected, Severity = severity, RemediatedAt = remediated, DismissedAt = dismissed,
                State = remediated is not null ? ExposureState.Remediated : dismissed is not null ? ExposureState.Dismissed : ExposureState.Open,
            });
            await db.SaveChangesAsync();
        }

        public async Task GrantAsync(Token token, DateTimeOffset approved, DateTimeOffset expires)
        {
            await using var db = Store.Factory.CreateDbContext();
            var requester = token.OwnerId ?? (await PersonAsync($"requester{++_n}@x")).Id;
            var request = new WriteScopeRequest { TokenId = token.Id, RequesterId = requester, Justification = "j", Days = 90, Status = RequestStatus.Approved, CreatedAt = approved };
            db.WriteScopeRequests.Add(request);
            await db.SaveChangesAsync();
            db.WriteScopeGrants.Add(new WriteScopeGrant { TokenId = token.Id, RequestId = request.Id, ApprovedAt = approved, ExpiresAt = expires });
            await db.SaveChangesAsync();
        }

        public ValueTask DisposeAsync()
        {
            _facts?.Dispose();
            return Store.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_empty_store_has_zero_counts_and_null_ratios()
    {
        await using var s = await new Scenario().InitAsync();
        var m = await s.Metrics.ComputeAsync(AsOf);

        Assert.Equal(AsOf, m.AsOf);
        Assert.Equal((0, 0), (m.Tokens.Total, m.Tokens.Active));
        Assert.Null(m.OwnerCoverage.Ratio);
        Assert.Null(m.WriteScope.Ratio);
        Assert.Null(m.WriteScope.JustifiedRatio);
        Assert.Equal(new TimeToRemediate(0, null, null, null, null), m.TimeToRemediate);
        Assert.Null(m.Exposures.OldestOpenAgeHours);
        Assert.Equal(new AttestationFigures(0, 0, null, null), m.Attestation);
    }

    [Fact]
    public async Task Owner_coverage_counts_confirmed_active_owners_only()
    {
        await using var s = await new Scenario().InitAsync();
        var ada = await s.PersonAsync("ada@x");
        var left = await s.PersonAsync("left@x", active: false);
        await s.TokenAsync(T0, owner: ada);                                   // owned
        await s.TokenAsync(T0, owner: ada);                                   // owned
        await s.TokenAsync(T0, owner: left);                                  // orphaned: owner left
        await s.TokenAsync(T0, suggested: ada);                               // suggested only: not owned
        await s.TokenAsync(T0);                                               // no owner
        await s.TokenAsync(T0, owner: ada, revokedAt: T0.AddDays(1));         // revoked: not active
        await s.TokenAsync(T0, owner: ada, expiresAt: T0.AddDays(2));         // expired: not active
        await s.TokenAsync(AsOf.AddDays(1), owner: ada);                      // first seen after asOf: not counted

        var m = await s.Metrics.ComputeAsync(AsOf);
        // active = 5 (the first five); owned = 2; ratio = 2/5.
        Assert.Equal(new OwnerCoverage(2, 5, 1, 0.4), m.OwnerCoverage);
        Assert.Equal((7, 5), (m.Tokens.Total, m.Tokens.Active));
        Assert.Equal(1, m.Tokens.ByStatus["Revoked"]);
        Assert.Equal(1, m.Tokens.ByStatus["Expired"]);
        Assert.Equal(5, m.Tokens.ByStatus["Active"]);
    }

    [Fact]
    public async Task Write_ratio_counts_unknown_apart_and_justified_needs_a_grant_covering_asOf()
    {
        await using var s = await new Scenario().InitAsync();
        var w1 = await s.TokenAsync(T0, WriteCapability.Write);
        var w2 = await s.TokenAsync(T0, WriteCapability.Write);
        var w3 = await s.TokenAsync(T0, WriteCapability.Write);
        await s.TokenAsync(T0, WriteCapability.Read);
        await s.TokenAsync(T0, WriteCapability.Unknown);
        var revokedWrite = await s.TokenAsync(T0, WriteCapability.Write, revokedAt: T0.AddDays(3));
        await s.GrantAsync(w1, T0, AsOf.AddDays(30));                 // covers asOf
        await s.GrantAsync(w2, T0, AsOf);                             // expires at asOf: does not cover ("expires after it")
        await s.GrantAsync(w3, AsOf.AddHours(1), AsOf.AddDays(90));   // approved after asOf
        await s.GrantAsync(revokedWrite, T0, AsOf.AddDays(30));       // not active

        var m = await s.Metrics.ComputeAsync(AsOf);
        // active 5: write 3, unknown 1; justified 1 of 3.
        Assert.Equal(new WriteScopeFigures(3, 1, 5, 1, 0.6, 1.0 / 3), m.WriteScope);

        var later = await s.Metrics.ComputeAsync(AsOf.AddDays(2));
        Assert.Equal(2, later.WriteScope.Justified);                  // w1 and w3 by then
    }

    [Fact]
    public async Task Time_to_remediate_excludes_dismissals_and_takes_the_median_of_an_even_count_by_interpolation()
    {
        await using var s = await new Scenario().InitAsync();
        // Remediated after 2, 4, 10 and 40 hours; one dismissed after 1 hour; one still open.
        foreach (var hours in new[] { 2, 4, 10, 40 })
        {
            var t = await s.TokenAsync(T0, revokedAt: T0.AddHours(hours));
            await s.ExposureAsync(t, T0, Severity.High, remediated: T0.AddHours(hours));
        }
        var dismissed = await s.TokenAsync(T0);
        await s.ExposureAsync(dismissed, T0, dismissed: T0.AddHours(1));
        var open = await s.TokenAsync(T0);
        await s.ExposureAsync(open, AsOf.AddHours(-100), Severity.High);

        var m = await s.Metrics.ComputeAsync(AsOf);
        // mean (2+4+10+40)/4 = 14; median (4+10)/2 = 7; p90 at rank 0.9*3 = 2.7: 10 + 0.7*(40-10) = 31.
        // SLA high = 72 h: all four within → 1.0.
        Assert.Equal(4, m.TimeToRemediate.Count);
        Assert.Equal(14, m.TimeToRemediate.MeanHours!.Value, 9);
        Assert.Equal(7, m.TimeToRemediate.MedianHours!.Value, 9);
        Assert.Equal(31, m.TimeToRemediate.P90Hours!.Value, 9);
        Assert.Equal(1.0, m.TimeToRemediate.WithinSlaRatio);
        Assert.Equal((6, 1, 4, 1), (m.Exposures.Total, m.Exposures.Open, m.Exposures.Remediated, m.Exposures.Dismissed));
        // The open one is 100 h old, past the 72 h of high severity.
        Assert.Equal(100, m.Exposures.OldestOpenAgeHours!.Value, 9);
        Assert.Equal(1, m.Exposures.Breached);
    }

    [Fact]
    public async Task Within_SLA_uses_each_severitys_own_target_and_the_window_filters_by_remediation_time()
    {
        await using var s = await new Scenario().InitAsync();
        async Task Remediated(Severity severity, DateTimeOffset detected, double hours)
        {
            var t = await s.TokenAsync(detected, revokedAt: detected.AddHours(hours));
            await s.ExposureAsync(t, detected, severity, remediated: detected.AddHours(hours));
        }
        await Remediated(Severity.Critical, T0, 30);            // > 24 h: missed
        await Remediated(Severity.Medium, T0, 100);             // < 168 h: met
        await Remediated(Severity.Low, T0.AddDays(20), 700);    // < 720 h: met; remediated 2026-11-19T04:00 — after asOf
        await Remediated(Severity.High, T0, 80);                // > 72 h: missed

        var m = await s.Metrics.ComputeAsync(AsOf);
        Assert.Equal(3, m.TimeToRemediate.Count);               // the low one is remediated after asOf
        Assert.Equal(1.0 / 3, m.TimeToRemediate.WithinSlaRatio!.Value, 9);

        var window = await s.Metrics.ComputeAsync(AsOf, ttrFrom: T0.AddHours(50));
        Assert.Equal(2, window.TimeToRemediate.Count);          // remediated at T0+80h and T0+100h
        Assert.Equal(90, window.TimeToRemediate.MedianHours!.Value, 9);
    }

    [Fact]
    public async Task As_of_a_past_instant_a_later_revocation_still_counts_the_token_exposed()
    {
        await using var s = await new Scenario().InitAsync();
        var t = await s.TokenAsync(T0, WriteCapability.Write, revokedAt: T0.AddDays(10));
        await s.ExposureAsync(t, T0, Severity.Critical, remediated: T0.AddDays(10));

        var during = await s.Metrics.ComputeAsync(T0.AddDays(5));
        Assert.Equal((1, 1, 1), (during.Tokens.ByStatus["Exposed"], during.Exposures.Open, during.WriteScope.WriteCapable));
        Assert.Equal(0, during.TimeToRemediate.Count);
        Assert.Equal(1, during.Exposures.Breached);             // 5 days open, critical SLA 24 h

        var after = await s.Metrics.ComputeAsync(T0.AddDays(11));
        Assert.Equal((1, 0, 0), (after.Tokens.ByStatus["Revoked"], after.Exposures.Open, after.Tokens.Active));
        Assert.Equal(240, after.TimeToRemediate.MedianHours!.Value, 9);

        var before = await s.Metrics.ComputeAsync(T0.AddDays(-1));
        Assert.Equal((0, 0), (before.Tokens.Total, before.Exposures.Total));
    }

    [Fact]
    public async Task Attestation_completion_counts_answers_given_before_the_deadline()
    {
        await using var s = await new Scenario().InitAsync();
        var tokens = new List<Token>();
        for (var i = 0; i < 4; i++) tokens.Add(await s.TokenAsync(T0));
        await using (var db = s.Store.Factory.CreateDbContext())
        {
            var deadline = AsOf.AddDays(-1);
            db.AttestationCampaigns.Add(new AttestationCampaign
            {
                Name = "Q4", OpenedBy = "a@x", OpenedAt = AsOf.AddDays(-10), Deadline = deadline,
                Tasks =
                [
                    new AttestationTask { TokenId = tokens[0].Id, Answer = AttestationAnswer.Keep, AnsweredAt = deadline.AddDays(-2) },
                    new AttestationTask { TokenId = tokens[1].Id, Answer = AttestationAnswer.Revoke, AnsweredAt = deadline.AddDays(-1) },
                    new AttestationTask { TokenId = tokens[2].Id, Answer = AttestationAnswer.Keep, AnsweredAt = deadline.AddHours(1) },   // late
                    new AttestationTask { TokenId = tokens[3].Id },
                ],
            });
            await db.SaveChangesAsync();
        }
        var m = await s.Metrics.ComputeAsync(AsOf);
        Assert.Equal((4, 2, 0.5), (m.Attestation.Due, m.Attestation.Attested, m.Attestation.CompletionRatio));
    }

    [Fact]
    public async Task The_per_team_view_counts_only_tokens_owned_in_that_team()
    {
        await using var s = await new Scenario().InitAsync();
        var research = await s.PersonAsync("r@x", team: "Research");
        var platform = await s.PersonAsync("p@x", team: "Platform");
        await s.TokenAsync(T0, WriteCapability.Write, owner: research);
        await s.TokenAsync(T0, WriteCapability.Read, owner: research);
        await s.TokenAsync(T0, WriteCapability.Write, owner: platform);
        await s.TokenAsync(T0);

        var team = await s.Metrics.ComputeAsync(AsOf, team: "Research");
        Assert.Equal((2, 0.5), (team.Tokens.Active, team.WriteScope.Ratio));
        var all = await s.Metrics.ComputeAsync(AsOf);
        Assert.Equal((4, 0.75), (all.Tokens.Active, all.OwnerCoverage.Ratio));
    }
}
