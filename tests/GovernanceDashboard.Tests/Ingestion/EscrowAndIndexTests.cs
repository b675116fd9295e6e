using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Facts;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

public class EscrowBatchTests
{
    private const string Secret = "hf_EscrowBatchEscrowBatchEscrowBatch12";

    [Fact]
    public async Task An_import_batch_copy_opens_with_the_key_ring_and_never_holds_the_secret_in_clear()
    {
        await using var h = await ImportHarness.StartAsync();
        using var batch = h.Secrets.BeginEscrow();
        var first = batch.Protect(Secret);
        var second = batch.Protect(Secret + "x");

        Assert.StartsWith("e2:", first, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, first, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), first, StringComparison.Ordinal);
        // Random nonces: the same key never gives the same copy twice.
        Assert.NotEqual(first, batch.Protect(Secret));
        Assert.Equal(Secret, h.Secrets.Unescrow(first));
        Assert.Equal(Secret + "x", h.Secrets.Unescrow(second));
        // A copy made one at a time (older rows, the demo) still opens.
        Assert.Equal(Secret, h.Secrets.Unescrow(h.Secrets.Escrow(Secret)));
    }

    [Fact]
    public async Task A_tampered_copy_is_refused()
    {
        await using var h = await ImportHarness.StartAsync();
        using var batch = h.Secrets.BeginEscrow();
        var copy = batch.Protect(Secret);
        var sealedPart = Convert.FromBase64String(copy[(copy.LastIndexOf(':') + 1)..]);
        sealedPart[^1] ^= 1;
        var tampered = copy[..(copy.LastIndexOf(':') + 1)] + Convert.ToBase64String(sealedPart);

        Assert.ThrowsAny<CryptographicException>(() => h.Secrets.Unescrow(tampered));
    }

    [Fact]
    public async Task A_copy_opens_only_with_its_own_key_ring()
    {
        await using var one = await ImportHarness.StartAsync();
        await using var other = await ImportHarness.StartAsync();
        using var batch = one.Secrets.BeginEscrow();

        Assert.ThrowsAny<CryptographicException>(() => other.Secrets.Unescrow(batch.Protect(Secret)));
    }

    [Fact]
    public async Task An_import_escrows_through_one_data_key_that_revocation_can_open()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Sample("trufflehog.jsonl"));
        await using var db = h.Db();
        var copies = await db.Exposures.Where(e => e.Escrow != null).Select(e => e.Escrow!).ToListAsync();

        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.StartsWith("e2:", c, StringComparison.Ordinal));
        // One wrapped data key for the whole import.
        Assert.Single(copies.Select(c => c.Split(':')[1]).Distinct());
        Assert.All(copies, c => Assert.False(string.IsNullOrEmpty(h.Secrets.Unescrow(c))));
    }
}

public class BulkLoadTests
{
    [Theory]
    [InlineData(0, 100_000, true)]
    [InlineData(300, 100_000, true)]
    [InlineData(1_000_000, 100_000, false)]
    [InlineData(50, 1_000, false)]
    // A file of 728 MB into an empty store: the rebuild's sorts spill to temporary files.
    [InlineData(0, 763_000_000, true)]
    [InlineData(3_000_000, 763_000_000, false)]
    public void Indexes_are_deferred_only_when_the_file_may_add_about_as_many_tokens_as_the_store_holds(long tokens, long fileBytes, bool expected) =>
        Assert.Equal(expected, BulkLoad.ShouldDefer(tokens, fileBytes));

    [Fact]
    public async Task A_large_import_into_a_small_store_rebuilds_every_index_it_dropped()
    {
        await using var h = await ImportHarness.StartAsync();
        var before = await SchemaAsync(h);
        // 200 records of ~600 bytes into an empty store: deferred.
        var path = await h.WriteTempAsync("many.jsonl", ManyRecords(200));
        Assert.True(BulkLoad.ShouldDefer(0, new FileInfo(path).Length));

        var summary = await h.ImportAsync(path, "trufflehog");

        Assert.Equal(200, summary.TokensNew);
        Assert.Equal(before, await SchemaAsync(h));
        Assert.Contains("IX_Tokens_OwnerId", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_large_import_leaves_indexes_and_rows_as_they_were()
    {
        await using var h = await ImportHarness.StartAsync();
        var before = await SchemaAsync(h);
        var rows = await h.SnapshotAsync();
        var lines = ManyRecords(200).Split('\n');
        // More than half the records are bad: rejected after the good ones were written (and the indexes dropped).
        var path = await h.WriteTempAsync("mostly-bad.jsonl", string.Join('\n', lines.Take(90).Concat(Enumerable.Repeat("{\"DetectorName\": 5}", 110))));

        await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, "trufflehog"));

        Assert.Equal(before, await SchemaAsync(h));
        Assert.Equal(rows, await h.SnapshotAsync());
    }

    [Theory]
    [InlineData(1_000_000, false)]
    [InlineData(34_000_000, false)]
    [InlineData(34_200_000, true)]
    [InlineData(763_000_000, true)]
    public void The_change_log_is_suspended_only_when_the_file_may_log_more_than_a_reader_reads_one_by_one(long fileBytes, bool expected) =>
        Assert.Equal(expected, BulkLoad.ShouldSuspendChangeLog(fileBytes));

    [Fact]
    public async Task A_file_too_large_for_the_change_log_is_imported_unlogged_and_every_reader_reloads_it()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Sample("people.csv"));
        var facts = h.Services.GetRequiredService<GovernanceFacts>();
        var metrics = h.Services.GetRequiredService<MetricsService>();
        Assert.Equal(0, (await metrics.ComputeAsync()).Tokens.Total);
        var loads = facts.FullLoads;
        var before = await SchemaAsync(h);
        var (latestBefore, _) = await RangeAsync(h);
        // Records of ~640 bytes (the redacted field padded): 60,000 of them pass the threshold (~34 MB).
        var path = await h.WriteTempAsync("large.jsonl", ManyRecords(LargeFileRecords).Replace("\"Redacted\":\"\"", "\"Redacted\":\"" + new string('*', 220) + "\"", StringComparison.Ordinal));
        Assert.True(BulkLoad.ShouldSuspendChangeLog(new FileInfo(path).Length));

        var summary = await h.ImportAsync(path, "trufflehog");

        Assert.Equal(LargeFileRecords, summary.TokensNew);
        // Indexes and triggers are back as they were, and the rows written meanwhile were not logged one by one.
        Assert.Equal(before, await SchemaAsync(h));
        var (latest, _) = await RangeAsync(h);
        Assert.True(latest - latestBefore > GovernanceFacts.FullReloadAbove);
        Assert.True(await h.ScalarAsync<long>("SELECT count(*) FROM ChangeLog") < 100);
        // The running projection reloads, and its figures are the store's.
        Assert.Equal(LargeFileRecords, (await metrics.ComputeAsync()).Tokens.Total);
        Assert.Equal(loads + 1, facts.FullLoads);

        // Later writes are logged again, and read one by one.
        await using (var db = h.Db())
        {
            var token = await db.Tokens.OrderBy(t => t.Id).FirstAsync();
            token.RevokedAt = DateTimeOffset.UtcNow.AddDays(-1);
            token.Status = TokenStatus.Revoked;
            await db.SaveChangesAsync();
        }
        Assert.Equal(LargeFileRecords - 1, (await metrics.ComputeAsync()).Tokens.Active);
        Assert.Equal(loads + 1, facts.FullLoads);
    }

    [Fact]
    public async Task A_rejected_file_too_large_for_the_change_log_leaves_triggers_log_and_rows_as_they_were()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Sample("trufflehog.jsonl"));
        var before = await SchemaAsync(h);
        var range = await RangeAsync(h);
        var rows = await h.SnapshotAsync();
        // A few good records, then more than half bad ones, long enough for the file to pass the change log's threshold.
        var bad = "{\"DetectorName\": 5, \"Padding\": \"" + new string('x', 1200) + "\"}";
        var path = await h.WriteTempAsync("large-bad.jsonl", ManyRecords(1_000) + "\n" + string.Join('\n', Enumerable.Repeat(bad, 30_000)));
        Assert.True(BulkLoad.ShouldSuspendChangeLog(new FileInfo(path).Length));

        await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, "trufflehog"));

        Assert.Equal(before, await SchemaAsync(h));
        Assert.Equal(range, await RangeAsync(h));
        Assert.Equal(rows, await h.SnapshotAsync());
    }

    private const int LargeFileRecords = 60_000;

    private static async Task<(long Latest, long? Oldest)> RangeAsync(ImportHarness h)
    {
        await using var connection = new SqliteConnection(h.Store.ConnectionString);
        await connection.OpenAsync();
        return ChangeLog.Range(connection, null);
    }

    private const string Record = """{"SourceMetadata":{"Data":{"Git":{"commit":"COMMIT","file":"src/configLINENO.py","repository":"https://github.com/acme/repoR","line":LINENO,"visibility":0}}},"SourceName":"trufflehog - git","DetectorName":"HuggingFace","Verified":false,"Raw":"hf_DeferredIndexTestTokenSECRETabcdefgh","Redacted":"","ExtraData":null}""";

    private static string ManyRecords(int count) => string.Join('\n', Enumerable.Range(0, count).Select(i => Record
        .Replace("COMMIT", i.ToString("x40", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("SECRET", i.ToString("D12", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("repoR", "repo" + (i % 7).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("LINENO", (i + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)));

    private static Task<string> SchemaAsync(ImportHarness h) =>
        h.ScalarAsync<string>("SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master ORDER BY type, name)");
}

public class KeyedHasherTests
{
    [Fact]
    public async Task Pieces_hash_to_the_keyed_hash_of_their_joined_text_however_long_and_however_often()
    {
        await using var h = await ImportHarness.StartAsync();
        using var hasher = h.Secrets.CreateHasher();
        // Longer than the first buffer, with multi-byte characters, and a run of resets in between.
        var pieces = new[] { "s:abc", "\n", "trufflehog", "\n", new string('é', 700) + "ü", null, "\n", "", "src/app.py", "\n", "42" };
        for (var round = 0; round < 3; round++)
        {
            foreach (var piece in pieces) hasher.Append(piece);
            Assert.Equal(h.Secrets.Hmac(string.Concat(pieces)), hasher.HexAndReset());
            Assert.Equal(h.Secrets.IdentityOf("hf_" + round), hasher.IdentityOf("hf_" + round));
            Assert.Equal(h.Secrets.IdentityOfLocation("repo\nfile"), hasher.IdentityOfLocation("repo\nfile"));
        }
        Assert.Equal(h.Secrets.Hmac(""), hasher.HexAndReset());
    }
}
