using System.Diagnostics;
using GovernanceDashboard.Data;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>Re-imports, rejected files and records, cancelled and killed imports; the in-process ones on both providers.</summary>
public class ReimportAndAtomicityTests
{
    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task Reimporting_the_same_file_adds_nothing_and_says_so(StoreProvider provider)
    {
        await using var h = await ImportHarness.StartAsync(provider);
        var first = await h.ImportAsync(Sample("trufflehog.jsonl"));
        await using (var db = h.Db())
            Assert.Equal(4, await db.Exposures.CountAsync());

        var second = await h.ImportAsync(Sample("trufflehog.jsonl"));
        Assert.Equal((0, 4, 0, 4, 0), (second.TokensNew, second.TokensSeen, second.OccurrencesNew, second.Duplicates, second.ExposuresOpened));
        Assert.Equal(first.ImportId, second.SameFileAsImportId);
        Assert.Contains("Nothing new", second.Message, StringComparison.Ordinal);
        Assert.Contains($"import {first.ImportId}", second.Message, StringComparison.Ordinal);
        await using var check = h.Db();
        Assert.Equal((4, 4, 4), (await check.Tokens.CountAsync(), await check.Occurrences.CountAsync(), await check.Exposures.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task A_later_file_with_the_same_tokens_adds_only_its_new_occurrences(StoreProvider provider)
    {
        await using var h = await ImportHarness.StartAsync(provider);
        await h.ImportAsync(Sample("trufflehog.jsonl"));
        var lines = (await File.ReadAllLinesAsync(Sample("trufflehog.jsonl"))).Where(l => l.Length > 0).ToArray();
        // The first record again, found in another file of the same repository.
        var moved = lines[0].Replace("\"file\": \"app.py\"", "\"file\": \"app_v2.py\"", StringComparison.Ordinal);
        Assert.NotEqual(lines[0], moved);
        var path = await h.WriteTempAsync("later.jsonl", string.Join('\n', lines.Append(moved)));

        var later = await h.ImportAsync(path);
        Assert.Equal((0, 1, 4, 0), (later.TokensNew, later.OccurrencesNew, later.Duplicates, later.ExposuresOpened));
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task A_file_with_more_than_half_its_records_rejected_is_rejected_whole_and_writes_nothing(StoreProvider provider)
    {
        await using var h = await ImportHarness.StartAsync(provider);
        var good = (await File.ReadAllLinesAsync(Sample("trufflehog.jsonl"))).First(l => l.Length > 0);
        var path = await h.WriteTempAsync("mostly-bad.jsonl", string.Join('\n', good, "{\"DetectorName\": 5}", "{\"DetectorName\": \"x\", \"SourceMetadata\": 7}", "{}"));
        var before = await h.SnapshotAsync();

        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, "trufflehog"));
        Assert.Contains("more than half", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task A_malformed_record_is_rejected_alone_with_its_line_and_the_rest_imports(StoreProvider provider)
    {
        await using var h = await ImportHarness.StartAsync(provider);
        var lines = (await File.ReadAllLinesAsync(Sample("trufflehog.jsonl"))).Where(l => l.Length > 0).ToList();
        lines.Insert(2, "{\"DetectorName\": \"HuggingFace\", \"SourceMetadata\": ");
        var path = await h.WriteTempAsync("one-bad.jsonl", string.Join('\n', lines));

        var summary = await h.ImportAsync(path);
        var rejected = Assert.Single(summary.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Equal((5, 4), (summary.Records, summary.TokensNew));
        await using var db = h.Db();
        Assert.Contains("\"line\":3", (await db.Imports.SingleAsync()).RejectedJson, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderStore.Providers), MemberType = typeof(ProviderStore))]
    public async Task A_cancelled_import_leaves_the_store_as_it_was(StoreProvider provider)
    {
        await using var h = await ImportHarness.StartAsync(provider);
        await h.ImportAsync(Sample("people.csv"));
        var path = Path.Combine(h.Directory, "big.jsonl");
        await TruffleHogFile.WriteAsync(path, 20_000);
        var before = await h.SnapshotAsync();

        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Records >= 8192) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Imports.ImportFileAsync(path, new GovernanceDashboard.Ingestion.ImportRequest("big.jsonl", null, null, "t"), progress, cts.Token));
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task An_import_killed_part_way_leaves_the_store_exactly_as_before()
    {
        await using var store = new TestStore();
        // A store with history, written by the real program.
        var seeded = await CliRunner.RunAsync(store, "import", Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", "github-alerts.json"));
        Assert.Equal(0, seeded.ExitCode);
        var big = Path.Combine(store.Directory, "big.jsonl");
        await TruffleHogFile.WriteAsync(big, 150_000);
        var before = await SnapshotAsync(store);

        using var process = Process.Start(CliRunner.StartInfo(store, "import", big))!;
        // Kill it once it reports progress: rows are being written inside its transaction.
        string? line;
        while ((line = await process.StandardError.ReadLineAsync()) is not null && !line.StartsWith("progress:", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Assert.NotEqual(0, process.ExitCode);

        Assert.Equal(before, await SnapshotAsync(store));
        var check = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(0, check.ExitCode);
    }

    private static async Task<string> SnapshotAsync(TestStore store)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(store.ConnectionString);
        await connection.OpenAsync();
        await using var integrity = connection.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)await integrity.ExecuteScalarAsync());
        return await StoreDump.TablesAsync(connection, "Tokens", "Occurrences", "Exposures", "Imports", "AuditEvents", "People");
    }

    private sealed class SynchronousProgress(Action<GovernanceDashboard.Ingestion.ImportProgress> report) : IProgress<GovernanceDashboard.Ingestion.ImportProgress>
    {
        public void Report(GovernanceDashboard.Ingestion.ImportProgress value) => report(value);
    }
}

/// <summary>Writes a TruffleHog JSON-lines file of n distinct fake Hugging Face tokens.</summary>
internal static class TruffleHogFile
{
    public static async Task WriteAsync(string path, int n)
    {
        await using var writer = new StreamWriter(path);
        for (var i = 0; i < n; i++)
        {
            var secret = "hf_" + i.ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + "abcdefghijklmnopqrstuvwx";
            var commit = i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);
            await writer.WriteLineAsync("{\"SourceMetadata\":{\"Data\":{\"Git\":{\"repository\":\"https://github.com/acme/big\",\"commit\":\"" + commit
                + "\",\"file\":\"f" + i + ".py\",\"line\":" + (i % 500 + 1) + ",\"email\":\"dev <dev@acme.io>\"}}},\"DetectorName\":\"HuggingFace\",\"Verified\":false,\"Raw\":\"" + secret + "\"}");
        }
    }
}
