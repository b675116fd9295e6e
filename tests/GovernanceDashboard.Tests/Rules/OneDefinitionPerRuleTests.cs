using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Domain.Rules;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Settings;
using GovernanceDashboard.Workflows;
using GovernanceDashboard.Workflows.Attestations;
using GovernanceDashboard.Workflows.Ownership;
using GovernanceDashboard.Tests.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Rules;

/// <summary>The five domain rules (token status, exposure open, grant in force, orphaned, SLA breach) each have one definition in
/// Domain/Rules; these tests hold the entity, the in-memory facts, the import's SQL and the lists to it, on boundary instants
/// where a second, slightly different copy would disagree.</summary>
public sealed class OneDefinitionPerRuleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowMs = Now.ToUnixTimeMilliseconds();

    private readonly TestStore _store = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(_store, clock: new FakeTimeProvider(Now));
        foreach (var file in new[] { "people.csv", "owners.csv", "trufflehog.jsonl", "github-alerts.json", "gitleaks.json" })
            await _host.Services.GetRequiredService<ImportService>().ImportFileAsync(ImporterTestFiles.Sample(file),
                new ImportRequest(file, null, null, "analyst@example.com") { MayChangeDirectory = true });
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _store.DisposeAsync();
    }

    private GovernanceDbContext Db() => _host.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    private Task<T> FactsAsync<T>(Func<FactTables, T> read) => _host.Services.GetRequiredService<GovernanceFacts>().ReadAsync(read);

    private async Task SqlAsync(string sql)
    {
        await using var db = Db();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    // Grants on the first four imported tokens: one ends exactly now, one is withdrawn exactly now, one starts exactly now, one
    // runs on, its withdrawal recorded ahead of time (a millisecond from now). Only the last two are in force now.
    private Task InsertBoundaryGrantsAsync() => SqlAsync($"""
        INSERT INTO WriteScopeGrants (TokenId, RequestId, ApprovedAt, ExpiresAt, WithdrawnAt)
        SELECT Id, 0, {NowMs - 86_400_000}, {NowMs}, NULL FROM Tokens WHERE Id = (SELECT MIN(Id) FROM Tokens);
        INSERT INTO WriteScopeGrants (TokenId, RequestId, ApprovedAt, ExpiresAt, WithdrawnAt)
        SELECT Id, 0, {NowMs - 86_400_000}, {NowMs + 86_400_000}, {NowMs} FROM Tokens WHERE Id = (SELECT MIN(Id) + 1 FROM Tokens);
        INSERT INTO WriteScopeGrants (TokenId, RequestId, ApprovedAt, ExpiresAt, WithdrawnAt)
        SELECT Id, 0, {NowMs}, {NowMs + 86_400_000}, NULL FROM Tokens WHERE Id = (SELECT MIN(Id) + 2 FROM Tokens);
        INSERT INTO WriteScopeGrants (TokenId, RequestId, ApprovedAt, ExpiresAt, WithdrawnAt)
        SELECT Id, 0, {NowMs - 1}, {NowMs + 1}, {NowMs + 1} FROM Tokens WHERE Id = (SELECT MIN(Id) + 3 FROM Tokens);
        """);

    public static TheoryData<long?, long?, bool, TokenStatus> StatusCases => new()
    {
        { null, null, false, TokenStatus.Active },
        { null, null, true, TokenStatus.Exposed },
        { -1, null, true, TokenStatus.Revoked },
        { 0, null, false, TokenStatus.Revoked },
        { 1, null, true, TokenStatus.Exposed },
        { null, 0, true, TokenStatus.Expired },
        { null, 1, false, TokenStatus.Active },
        { 1, 0, false, TokenStatus.Expired },
        { 0, -5, true, TokenStatus.Revoked },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public void Token_status_is_the_same_for_the_entity_the_facts_and_the_import_sql(long? revokedOffsetMs, long? expiresOffsetMs, bool exposed, TokenStatus expected)
    {
        DateTimeOffset? At(long? offset) => offset is { } o ? Now.AddMilliseconds(o) : null;
        var token = new Token { Identity = "s:x", Mask = "hf_…abcd", RevokedAt = At(revokedOffsetMs), ExpiresAt = At(expiresOffsetMs) };
        Assert.Equal(expected, token.StatusAt(Now, exposed));

        var columns = new TokenColumns();
        columns.Ensure(1);
        columns.Revoked[1] = revokedOffsetMs is { } r ? NowMs + r : FactTables.Never;
        columns.Expires[1] = expiresOffsetMs is { } e ? NowMs + e : FactTables.Never;
        Assert.Equal(expected, columns.StatusAt(1, NowMs, exposed));

        // The import's form of the rule, run by SQLite on a real file with instants stored as the app stores them.
        using var connection = new SqliteConnection(_store.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TokenStatusRule.Sql("@revoked", "@expires", "@now", "@status")}";
        command.Parameters.AddWithValue("@revoked", revokedOffsetMs is { } rr ? NowMs + rr : DBNull.Value);
        command.Parameters.AddWithValue("@expires", expiresOffsetMs is { } ee ? NowMs + ee : DBNull.Value);
        command.Parameters.AddWithValue("@now", NowMs);
        command.Parameters.AddWithValue("@status", (exposed ? TokenStatus.Exposed : TokenStatus.Active).ToString());
        Assert.Equal(expected.ToString(), (string)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task After_an_import_every_stored_status_is_the_status_of_the_entity_and_of_the_facts()
    {
        await using var db = Db();
        var tokens = await db.Tokens.AsNoTracking().Include(t => t.Exposures).ToListAsync();
        var facts = await FactsAsync(f =>
        {
            var exposed = f.ExposedAt(NowMs);
            return tokens.ToDictionary(t => t.Id, t => f.Tokens.StatusAt(t.Id, NowMs, exposed[t.Id]));
        });
        foreach (var token in tokens)
        {
            var entity = token.StatusAt(Now, token.Exposures.Any(e => e.IsOpenAt(Now)));
            Assert.Equal(entity, token.Status);
            Assert.Equal(entity, facts[token.Id]);
        }
        // Not hollow: the imported files give exposed tokens and tokens revoked by a resolved alert.
        Assert.Contains(tokens, t => t.Status == TokenStatus.Exposed);
        Assert.Contains(tokens, t => t.Status == TokenStatus.Revoked);
    }

    [Fact]
    public async Task An_exposure_is_open_by_the_same_rule_for_the_entity_and_the_facts_on_its_boundaries()
    {
        await SqlAsync($"""
            UPDATE Exposures SET State = 'Dismissed', DismissedAt = {NowMs - 1000}, DismissalReason = 'false_positive' WHERE Id = (SELECT MIN(Id) FROM Exposures WHERE State = 'Open');
            UPDATE Exposures SET State = 'Remediated', RemediatedAt = {NowMs}, RemediatedBy = 'test' WHERE Id = (SELECT MAX(Id) FROM Exposures WHERE State = 'Open');
            """);
        await using var db = Db();
        var exposures = await db.Exposures.AsNoTracking().ToListAsync();
        var instants = exposures.SelectMany(e => new[] { e.DetectedAt, e.DetectedAt.AddMilliseconds(-1), e.ClosedAt ?? Now, (e.ClosedAt ?? Now).AddMilliseconds(-1) })
            .Append(Now).Distinct().ToList();
        var open = 0;
        var closed = 0;
        foreach (var at in instants)
        {
            var ms = at.ToUnixTimeMilliseconds();
            var facts = await FactsAsync(f => exposures.ToDictionary(e => e.Id, e => f.Exposures.OpenAt(e.Id, ms)));
            foreach (var exposure in exposures)
            {
                var entity = exposure.IsOpenAt(at);
                Assert.Equal(entity, facts[exposure.Id]);
                if (entity) open++;
                else closed++;
            }
        }
        Assert.True(open > 0 && closed > 0);
    }

    [Fact]
    public async Task A_grant_is_in_force_by_the_same_rule_for_the_entity_the_facts_and_the_metrics()
    {
        await InsertBoundaryGrantsAsync();
        await using var db = Db();
        var grants = await db.WriteScopeGrants.AsNoTracking().OrderBy(g => g.Id).ToListAsync();
        Assert.Equal([false, false, true, true], grants.Select(g => g.CoversAt(Now)));
        var facts = await FactsAsync(f => grants.Select(g => f.Grants.CoversAt(g.Id, NowMs)).ToList());
        Assert.Equal(grants.Select(g => g.CoversAt(Now)), facts);
        var justified = await FactsAsync(f => f.JustifiedAt(NowMs));
        Assert.Equal(grants.Where(g => g.CoversAt(Now)).Select(g => g.TokenId).Order(), Enumerable.Range(0, justified.Length).Where(i => justified[i]));
    }

    [Fact]
    public async Task A_grant_is_in_force_by_the_same_rule_for_the_entity_and_the_store_queries_of_my_tokens_and_attestation()
    {
        await InsertBoundaryGrantsAsync();
        await SqlAsync("""
            UPDATE Tokens SET OwnerId = (SELECT MIN(Id) FROM People WHERE Active = 1), RevokedAt = NULL, ExpiresAt = NULL
            WHERE Id IN (SELECT TokenId FROM WriteScopeGrants);
            """);
        await using var db = Db();
        var grants = await db.WriteScopeGrants.AsNoTracking().OrderBy(g => g.Id).ToListAsync();
        var owner = await db.People.AsNoTracking().Where(p => p.Active).OrderBy(p => p.Id).FirstAsync();
        var actor = new Actor(owner.Id, owner.Email, Roles.Admin);

        var mine = await _host.Services.GetRequiredService<OwnershipService>().MyTokensAsync(actor);
        var campaign = await _host.Services.GetRequiredService<AttestationService>().OpenCampaignAsync(actor, "rules", CampaignScope.AllActive, Now.AddDays(7));
        var tasks = await _host.Services.GetRequiredService<AttestationService>().AllTasksAsync(actor, campaign.Value!.Id);

        var expected = grants.Select(g => g.CoversAt(Now)).ToList();
        Assert.Equal([false, false, true, true], expected);
        Assert.Equal(expected, grants.Select(g => mine.Single(t => t.Id == g.TokenId).Justified));
        Assert.Equal(expected, grants.Select(g => tasks.Single(t => t.TokenId == g.TokenId).Justified));
    }

    [Fact]
    public async Task Orphaned_is_the_same_for_the_metrics_the_inventory_filter_and_the_entities()
    {
        // Every owner of an imported token leaves; one of their tokens is then revoked (a revoked token needs nobody).
        await SqlAsync($"""
            UPDATE People SET Active = 0 WHERE Id IN (SELECT OwnerId FROM Tokens WHERE OwnerId IS NOT NULL);
            UPDATE Tokens SET RevokedAt = {NowMs - 1}, Status = 'Revoked' WHERE Id = (SELECT MIN(Id) FROM Tokens WHERE OwnerId IS NOT NULL AND RevokedAt IS NULL);
            """);
        await using var db = Db();
        var tokens = await db.Tokens.AsNoTracking().Include(t => t.Owner).Include(t => t.Exposures).ToListAsync();
        var byEntity = tokens.Count(t => OrphanedRule.IsOrphaned(t.Owner is not null, t.Owner?.Active ?? false,
            t.StatusAt(Now, t.Exposures.Any(e => e.IsOpenAt(Now)))));
        Assert.True(byEntity > 0);
        Assert.Contains(tokens, t => t.Owner is { Active: false } && t.StatusAt(Now, false) == TokenStatus.Revoked);

        var metrics = await _host.Services.GetRequiredService<MetricsService>().ComputeAsync(Now);
        Assert.Equal(byEntity, metrics.OwnerCoverage.Orphaned);
        Assert.Equal(0, metrics.OwnerCoverage.Owned);
        var listed = await _host.Services.GetRequiredService<TokenInventory>().ListAsync(new TokenFilter { Owner = "orphaned" }, 1, 500);
        Assert.Equal(byEntity, listed.Total);
    }

    [Fact]
    public async Task An_SLA_breach_is_the_same_for_the_metrics_and_the_exposure_list_at_the_deadline()
    {
        // Two open critical exposures: one detected exactly its target before now (at the deadline: not yet breached), one a
        // millisecond earlier (breached). The others are made recent.
        await using (var settingsDb = Db())
        {
            var settings = await GovernanceSettings.LoadAsync(settingsDb);
            var target = SlaBreachRule.TargetMillis(settings.SlaHoursFor(Severity.Critical));
            await SqlAsync($"""
                UPDATE Exposures SET DetectedAt = {NowMs - 1000} WHERE State = 'Open';
                UPDATE Exposures SET Severity = 'Critical', DetectedAt = {NowMs - target} WHERE Id = (SELECT MIN(Id) FROM Exposures WHERE State = 'Open');
                UPDATE Exposures SET Severity = 'Critical', DetectedAt = {NowMs - target - 1} WHERE Id = (SELECT MAX(Id) FROM Exposures WHERE State = 'Open');
                """);
        }
        var metrics = await _host.Services.GetRequiredService<MetricsService>().ComputeAsync(Now);
        var list = await _host.Services.GetRequiredService<ExposureList>().ListAsync(new ExposureFilter { State = ExposureState.Open }, 1, 5000);
        Assert.True(list.Total >= 2);
        Assert.Equal(1, metrics.Exposures.Breached);
        Assert.Equal(1, list.Items.Count(e => e.Breached));
        var breached = Assert.Single(list.Items, e => e.Breached);
        Assert.Equal(breached.SlaDeadline.AddMilliseconds(1), Now);
    }

    [Fact]
    public async Task The_breach_notices_the_breached_filter_and_the_metrics_agree_when_the_target_is_not_a_whole_millisecond()
    {
        // A critical target of 3,600,000.6 ms counts as 3,600,001 ms: detected exactly that long ago is at the deadline (not
        // breached); a millisecond earlier is breached. A query comparing with now − 1.0000001667 h unrounded would call both breached.
        var hours = 1 + 0.6 / 3_600_000;
        await using (var settingsDb = Db())
        {
            await GovernanceSettings.SaveAsync(settingsDb, await GovernanceSettings.LoadAsync(settingsDb) with { SlaCriticalHours = hours }, "test");
        }
        var target = SlaBreachRule.TargetMillis(hours);
        Assert.Equal(3_600_001, target);
        await SqlAsync($"""
            UPDATE Exposures SET DetectedAt = {NowMs - 1000} WHERE State = 'Open';
            UPDATE Exposures SET Severity = 'Critical', DetectedAt = {NowMs - target} WHERE Id = (SELECT MIN(Id) FROM Exposures WHERE State = 'Open');
            UPDATE Exposures SET Severity = 'Critical', DetectedAt = {NowMs - target - 1} WHERE Id = (SELECT MAX(Id) FROM Exposures WHERE State = 'Open');
            """);

        var metrics = await _host.Services.GetRequiredService<MetricsService>().ComputeAsync(Now);
        var filtered = await _host.Services.GetRequiredService<ExposureList>().ListAsync(new ExposureFilter { Breached = true }, 1, 100);
        await _host.Services.GetRequiredService<GovernanceDashboard.Workflows.Remediation.SlaBreachService>().RunOnceAsync(Now);

        await using var db = Db();
        var latest = await db.Exposures.Where(e => e.State == ExposureState.Open).MaxAsync(e => e.Id);
        var announced = await db.Exposures.Where(e => e.SlaBreachNotifiedAt != null).Select(e => e.Id).ToListAsync();
        Assert.Equal(1, metrics.Exposures.Breached);
        Assert.Equal(latest, Assert.Single(filtered.Items).Id);
        Assert.Equal([latest], announced);
        Assert.Equal(Now.AddMilliseconds(-1), Assert.Single(filtered.Items).SlaDeadline);
    }
}
