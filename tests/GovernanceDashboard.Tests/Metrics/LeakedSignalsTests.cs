using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Metrics;

/// <summary>Signals 1 and 2 for the whole population and for the leaked part (docs/metrics.md "Leaked tokens and the whole population"), on a
/// hand-computed mix of tokens synced from a GitHub organisation, leaked ones and a leaked one GitHub also lists.</summary>
public class LeakedSignalsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The mix (all first seen at T0; "alice" is in the directory, "bob" has left):
    /// synced only (identity g:…, no occurrence, no exposure):
    ///   S1 alice write, no grant · S2 no owner write, grant · S3 alice read · S4 bob read · S5 alice write, no grant
    /// leaked (an exposure or an occurrence):
    ///   L1 alice read, exposure open · L2 no owner write, exposure remediated after 10 h and revoked (not active)
    ///   L3 bob write, exposure open, no grant · L4 alice unknown scope, an occurrence only (no exposure)
    ///   B1 alice write, grant, occurrence, exposure dismissed, linked to a GitHub credential authorisation ("both")
    /// All:    total 10, active 9; owned S1 S3 S5 L1 L4 B1 = 6, orphaned S4 L3 = 2; write S1 S2 S5 L3 B1 = 5, justified S2 B1 = 2, unknown L4.
    /// Leaked: total 5, active 4 (L2 revoked); owned L1 L4 B1 = 3, orphaned L3 = 1; write L3 B1 = 2, justified B1 = 1, unknown L4.
    /// Alice's own: S1 S3 S5 L1 L4 B1; her leaked part L1 L4 B1 = 3, all owned, write B1 only.</summary>
    internal static async Task<int> SeedMixAsync(IDbContextFactory<GovernanceDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var alice = new Person { Email = "alice@x.example", DisplayName = "Alice", Active = true, Team = "Research", Roles = Roles.Auditor };
        var bob = new Person { Email = "bob@x.example", DisplayName = "Bob", Active = false, Team = "Research" };
        db.People.AddRange(alice, bob);
        var import = new ScanImport { Format = "gitleaks", FileName = "f.json", Sha256 = "00", ImportedBy = "test", ImportedAt = T0 };
        db.Imports.Add(import);
        var n = 0;
        Token Add(bool synced, WriteCapability write, Person? owner, DateTimeOffset? revoked = null)
        {
            n++;
            var token = new Token
            {
                Identity = synced ? $"{TokenSources.GitHubOrgIdentityPrefix}{n}" : $"s:{n}", Mask = $"tok…{n:0000}", Identified = !synced,
                Platform = TokenPlatform.GitHub, Kind = synced ? TokenKind.GitHubFineGrainedPat : TokenKind.GitHubClassicPat, WriteCapability = write,
                Owner = owner, FirstSeenAt = T0, LastSeenAt = T0, RevokedAt = revoked,
            };
            db.Tokens.Add(token);
            return token;
        }
        var requests = new List<WriteScopeRequest>();
        void Grant(Token token)
        {
            var request = new WriteScopeRequest { Token = token, Requester = alice, Justification = "j", Days = 90, Status = RequestStatus.Approved, CreatedAt = T0 };
            db.WriteScopeRequests.Add(request);
            requests.Add(request);
        }
        void Exposure(Token token, ExposureState state, DateTimeOffset? closed = null) => db.Exposures.Add(new Exposure
        {
            Token = token, DetectedAt = T0.AddDays(1), Severity = Severity.High, State = state,
            RemediatedAt = state == ExposureState.Remediated ? closed : null, DismissedAt = state == ExposureState.Dismissed ? closed : null,
        });
        void Occurrence(Token token) =>
            db.Occurrences.Add(new Occurrence { Token = token, Import = import, Key = $"k{token.Mask}", Scanner = "Gitleaks", DetectedAt = T0 });

        Add(true, WriteCapability.Write, alice);
        Grant(Add(true, WriteCapability.Write, null));
        Add(true, WriteCapability.Read, alice);
        Add(true, WriteCapability.Read, bob);
        Add(true, WriteCapability.Write, alice);
        Exposure(Add(false, WriteCapability.Read, alice), ExposureState.Open);
        Exposure(Add(false, WriteCapability.Write, null, revoked: T0.AddDays(1).AddHours(10)), ExposureState.Remediated, T0.AddDays(1).AddHours(10));
        Exposure(Add(false, WriteCapability.Write, bob), ExposureState.Open);
        Occurrence(Add(false, WriteCapability.Unknown, alice));
        var both = Add(false, WriteCapability.Write, alice);
        Grant(both);
        Occurrence(both);
        Exposure(both, ExposureState.Dismissed, T0.AddDays(2));
        await db.SaveChangesAsync();
        foreach (var request in requests)
            db.WriteScopeGrants.Add(new WriteScopeGrant { TokenId = request.TokenId, RequestId = request.Id, ApprovedAt = T0, ExpiresAt = T0.AddDays(90) });
        db.GitHubCredentialAuthorizations.Add(new GitHubCredentialAuthorization
        {
            Organization = "acme", CredentialId = 1, Login = "alice", CredentialType = "personal access token", LastSyncedAt = T0, TokenId = both.Id, LinkedAt = T0,
        });
        await db.SaveChangesAsync();
        return alice.Id;
    }

    [Fact]
    public async Task The_leaked_part_has_its_own_owner_and_write_figures_beside_the_whole_population()
    {
        await using var store = new TestStore();
        await store.MigrateAsync();
        var alice = await SeedMixAsync(store.Factory);
        using var facts = new GovernanceFacts(store.Factory, NullLogger<GovernanceFacts>.Instance);
        var metrics = new MetricsService(facts, store.Factory, new FakeTimeProvider(AsOf));

        var m = await metrics.ComputeAsync(AsOf);
        Assert.Equal((10, 9), (m.Tokens.Total, m.Tokens.Active));
        Assert.Equal(new OwnerCoverage(6, 9, 2, 6.0 / 9), m.OwnerCoverage);
        Assert.Equal(new WriteScopeFigures(5, 1, 9, 2, 5.0 / 9, 0.4), m.WriteScope);
        var leaked = m.Leaked!;
        Assert.Equal((5, 4), (leaked.Total, leaked.Active));
        Assert.Equal(new OwnerCoverage(3, 4, 1, 0.75), leaked.OwnerCoverage);
        Assert.Equal(new WriteScopeFigures(2, 1, 4, 1, 0.5, 0.5), leaked.WriteScope);
        // Signal 3 is the leaked part's by nature: L2's 10 hours, L1 and L3 open.
        Assert.Equal((1, 10.0, 2), (m.TimeToRemediate.Count, m.TimeToRemediate.MedianHours!.Value, m.Exposures.Open));

        // An owner's scorecard: the leaked part of their own tokens only.
        var own = await metrics.ComputeForOwnerAsync(alice, AsOf);
        Assert.Equal((6, 6), (own.Tokens.Total, own.OwnerCoverage.Owned));
        Assert.Equal((3, 3, 1), (own.Leaked!.Total, own.Leaked.OwnerCoverage.Owned, own.Leaked.WriteScope.WriteCapable));

        // A team's figures do not carry it; before the tokens were first seen both parts are empty.
        Assert.Null((await metrics.ComputeAsync(AsOf, team: "Research")).Leaked);
        var before = await metrics.ComputeAsync(T0.AddDays(-1));
        Assert.Equal((0, 0, null), (before.Leaked!.Total, before.Leaked.Active, before.Leaked.OwnerCoverage.Ratio));
    }

    [Fact]
    public async Task The_metrics_endpoint_adds_the_leaked_part()
    {
        await using var app = new AppFactory(extra: new() { ["Demo:SeedWhenEmpty"] = "false" });
        _ = app.Client();
        await SeedMixAsync(app.Store.Factory);
        var client = await app.SignedInClientAsync("alice@x.example");

        var root = JsonDocument.Parse(await client.GetStringAsync("/api/metrics?asOf=2026-11-01T00:00:00Z")).RootElement;
        Assert.Equal(10, root.GetProperty("tokens").GetProperty("total").GetInt32());
        Assert.Equal(6, root.GetProperty("ownerCoverage").GetProperty("owned").GetInt32());
        var leaked = root.GetProperty("leaked");
        Assert.Equal(5, leaked.GetProperty("total").GetInt32());
        Assert.Equal(4, leaked.GetProperty("active").GetInt32());
        var coverage = leaked.GetProperty("ownerCoverage");
        Assert.Equal((3, 4, 1), (coverage.GetProperty("owned").GetInt32(), coverage.GetProperty("active").GetInt32(), coverage.GetProperty("orphaned").GetInt32()));
        Assert.Equal(0.75, coverage.GetProperty("ratio").GetDouble(), 9);
        var write = leaked.GetProperty("writeScope");
        Assert.Equal((2, 1, 1), (write.GetProperty("writeCapable").GetInt32(), write.GetProperty("justified").GetInt32(), write.GetProperty("unknown").GetInt32()));
        Assert.Equal(0.5, write.GetProperty("ratio").GetDouble(), 9);
        Assert.Equal(0.5, write.GetProperty("justifiedRatio").GetDouble(), 9);
    }
}
