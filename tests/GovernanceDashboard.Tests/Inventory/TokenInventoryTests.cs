using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Inventory;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovernanceDashboard.Tests.Inventory;

/// <summary>The grid's pages, counts and statuses from the in-memory facts agree with the store, read and sorted plainly.</summary>
public class TokenInventoryTests
{
    private const int Tokens = 6_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Theory]
    [InlineData(TokenSort.LastSeenDesc)]
    [InlineData(TokenSort.FirstSeenDesc)]
    [InlineData(TokenSort.FirstSeenAsc)]
    [InlineData(TokenSort.MaskAsc)]
    [InlineData(TokenSort.PlatformAsc)]
    [InlineData(TokenSort.StatusAsc)]
    [InlineData(TokenSort.OwnerAsc)]
    public async Task Every_page_of_every_sort_is_that_page_of_the_whole_sorted_list(TokenSort sort)
    {
        await using var store = await new TestStore().MigrateAsync();
        Seed(store.ConnectionString);
        using var facts = new GovernanceFacts(store.Factory, NullLogger<GovernanceFacts>.Instance);
        var inventory = new TokenInventory(facts, store.Factory, TimeProvider.System);
        var expected = Order(await AllAsync(store), sort).Select(t => t.Id).ToList();

        foreach (var (page, size) in new[] { (1, 25), (2, 25), (117, 25), (Tokens / 25, 25), (3, 500), (13, 500) })
        {
            var result = await inventory.ListAsync(new TokenFilter(), page, size, sort);
            Assert.Equal(Tokens, result.Total);
            Assert.Equal(expected.Skip((page - 1) * size).Take(size), result.Items.Select(r => r.Id));
        }
        Assert.Empty((await inventory.ListAsync(new TokenFilter(), Tokens, 25, sort)).Items);
    }

    [Fact]
    public async Task Filters_count_and_page_what_the_store_holds_with_status_as_of_now()
    {
        await using var store = await new TestStore().MigrateAsync();
        Seed(store.ConnectionString);
        using var facts = new GovernanceFacts(store.Factory, NullLogger<GovernanceFacts>.Instance);
        var inventory = new TokenInventory(facts, store.Factory, TimeProvider.System);
        var all = await AllAsync(store);

        foreach (var status in Enum.GetValues<TokenStatus>())
        {
            var result = await inventory.ListAsync(new TokenFilter { Status = status }, 1, 500, TokenSort.FirstSeenAsc);
            var expected = all.Where(t => t.Status == status).OrderBy(t => t.FirstSeenAt).ThenBy(t => t.Id).ToList();
            Assert.True(expected.Count > 0, $"the seed has {status} tokens");
            Assert.Equal(expected.Count, result.Total);
            Assert.Equal(expected.Take(500).Select(t => t.Id), result.Items.Select(r => r.Id));
            Assert.All(result.Items, r => Assert.Equal(status, r.Status));
        }
        // Stored as Active, but their expiry passed: the grid says Expired, as the metrics do.
        Assert.Contains(all, t => t.Status == TokenStatus.Expired && t.Stored == TokenStatus.Active);

        var github = await inventory.ListAsync(new TokenFilter { Platform = TokenPlatform.GitHub, Owner = "none" }, 1, 25);
        Assert.Equal(all.Count(t => t.Platform == TokenPlatform.GitHub && t.OwnerEmail is null), github.Total);
        var text = await inventory.ListAsync(new TokenFilter { Text = "REPO7" }, 1, 25);
        Assert.Equal(all.Count(t => t.Repositories.Any(r => r.Contains("repo7", StringComparison.Ordinal))), text.Total);
        var owner = await inventory.ListAsync(new TokenFilter { Owner = "P3@EXAMPLE.COM" }, 1, 25);
        Assert.Equal(all.Count(t => t.OwnerEmail == "p3@example.com"), owner.Total);
    }

    [Fact]
    public async Task The_token_page_and_my_tokens_say_Expired_once_the_expiry_passed_whatever_the_stored_column_says()
    {
        await using var store = await new TestStore().MigrateAsync();
        Seed(store.ConnectionString);
        var expired = (await AllAsync(store)).First(t => t.Status == TokenStatus.Expired && t.Stored == TokenStatus.Active && t.OwnerEmail is not null);

        var details = await new TokenDetails(store.Factory, TimeProvider.System).LoadAsync(expired.Id, null, viewerSeesEverything: true);
        Assert.Equal(TokenStatus.Expired, details!.Token.Status);

        await using var db = store.Factory.CreateDbContext();
        var owner = await db.People.SingleAsync(p => p.Email == expired.OwnerEmail);
        var mine = await new GovernanceDashboard.Workflows.Ownership.OwnershipService(store.Factory, TimeProvider.System)
            .MyTokensAsync(new GovernanceDashboard.Workflows.Actor(owner.Id, owner.Email, owner.Roles));
        Assert.Equal(TokenStatus.Expired, mine.Single(t => t.Id == expired.Id).Status);
    }

    private sealed record Row(int Id, string Mask, TokenPlatform Platform, TokenStatus Status, TokenStatus Stored, string? OwnerEmail,
        DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, List<string> Repositories);

    private static async Task<List<Row>> AllAsync(TestStore store)
    {
        await using var db = store.Factory.CreateDbContext();
        var tokens = await db.Tokens.AsNoTracking().Include(t => t.Owner).Include(t => t.Exposures).Include(t => t.Occurrences).ToListAsync();
        return tokens.Select(t => new Row(t.Id, t.Mask, t.Platform, t.StatusAt(Now, t.Exposures.Any(e => e.IsOpenAt(Now))), t.Status,
            t.Owner?.Email, t.FirstSeenAt, t.LastSeenAt, t.Occurrences.Select(o => o.Repository ?? "").ToList())).ToList();
    }

    private static IEnumerable<Row> Order(List<Row> rows, TokenSort sort) => sort switch
    {
        TokenSort.FirstSeenDesc => rows.OrderByDescending(t => t.FirstSeenAt).ThenByDescending(t => t.Id),
        TokenSort.FirstSeenAsc => rows.OrderBy(t => t.FirstSeenAt).ThenBy(t => t.Id),
        TokenSort.MaskAsc => rows.OrderBy(t => t.Mask, StringComparer.Ordinal).ThenBy(t => t.Id),
        TokenSort.PlatformAsc => rows.OrderBy(t => t.Platform.ToString(), StringComparer.Ordinal).ThenBy(t => t.Id),
        // What needs attention first.
        TokenSort.StatusAsc => rows.OrderBy(t => Array.IndexOf([TokenStatus.Exposed, TokenStatus.Active, TokenStatus.Expired, TokenStatus.Revoked], t.Status)).ThenBy(t => t.Id),
        // Tokens without an owner first, as SQL sorts NULL.
        TokenSort.OwnerAsc => rows.OrderBy(t => t.OwnerEmail is not null).ThenBy(t => t.OwnerEmail, StringComparer.Ordinal).ThenBy(t => t.Id),
        _ => rows.OrderByDescending(t => t.LastSeenAt).ThenByDescending(t => t.Id),
    };

    /// <summary>Tokens with many equal keys (times on whole days, 40 masks, 3 platforms, 30 owners), open and closed
    /// exposures, revocations and expiries (some still stored as Active), two occurrences each.</summary>
    private static void Seed(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var tx = connection.BeginTransaction();
        var random = new Random(7);
        var now = Now.ToUnixTimeMilliseconds();
        const long Day = 86_400_000;
        void Run(string sql, params object?[] values)
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue($"@p{i}", values[i] ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
        for (var p = 1; p <= 30; p++)
            Run("INSERT INTO People (Email, DisplayName, Team, Active, Roles, CreatedAt) VALUES (@p0, @p0, @p1, @p2, 0, 0)", $"p{p}@example.com", $"Team {p % 4}", p % 7 != 0);
        Run("""
            INSERT INTO Imports (Format, FileName, Sha256, ImportedBy, ImportedAt, ScannedAt, Records, TokensNew, TokensSeen, OccurrencesNew, Duplicates,
                RejectedCount, ExposuresOpened, ExposuresClosed, OccurrencesOnClosedTokens, PeopleAdded, PeopleUpdated, RulesSaved, TokensAssignedByRule)
            VALUES ('test', 'test', '0', 'test', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            """);
        string[] platforms = ["HuggingFace", "GitHub", "Other"];
        for (var i = 1; i <= Tokens; i++)
        {
            var first = now - random.Next(1, 200) * Day;
            var roll = random.Next(10);
            long? revoked = roll == 0 ? first + Day : null;
            long? expires = roll == 1 ? now - Day : roll == 2 ? now + 30 * Day : null;
            var open = roll is 3 or 4;
            Run("""
                INSERT INTO Tokens (Identity, Identified, Mask, Platform, Kind, WriteCapability, OwnerId, OwnerSource, Status, FirstSeenAt, LastSeenAt, RevokedAt, ExpiresAt, Account)
                VALUES (@p0, 1, @p1, @p2, 'Other', 'Read', @p3, 'Manual', @p4, @p5, @p6, @p7, @p8, @p9)
                """, $"s:{i}", $"hf_…{random.Next(40):00}", platforms[random.Next(3)], random.Next(5) == 0 ? null : random.Next(1, 31),
                revoked is not null ? "Revoked" : open ? "Exposed" : "Active", first, first + random.Next(0, 5) * Day, revoked, expires, $"acct{i % 50}");
            Run("INSERT INTO Exposures (TokenId, DetectedAt, Severity, VerificationAtDetection, State, RemediatedAt) VALUES (@p0, @p1, 'High', 'Verified', @p2, @p3)",
                i, first, open ? "Open" : "Remediated", open ? null : first + Day);
            for (var k = 0; k < 2; k++)
                Run("""
                    INSERT INTO Occurrences (TokenId, ImportId, Key, Scanner, Repository, Visibility, Verification, DetectedAt, PubliclyLeaked)
                    VALUES (@p0, 1, @p1, 'TruffleHog', @p2, 'Public', 'Verified', @p3, 0)
                    """, i, $"{i}-{k}", $"https://github.com/acme/repo{random.Next(100)}", first);
        }
        tx.Commit();
    }
}
