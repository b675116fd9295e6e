using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

public class RejectedImportHistoryTests
{
    [Fact]
    public async Task A_rejected_file_is_in_the_history_with_its_reason_name_and_who_and_writes_no_finding()
    {
        await using var h = await ImportHarness.StartAsync();
        var path = await h.WriteTempAsync("not-a-scan.jsonl", "this is not JSON at all\nnor this\n");

        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, "trufflehog", actor: "sec.analyst@acme.example"));

        await using var db = h.Db();
        var row = await db.Imports.SingleAsync();
        Assert.Equal(ImportStatus.Rejected, row.Status);
        Assert.Equal(ex.Message, row.RejectionReason);
        Assert.Equal(("not-a-scan.jsonl", "sec.analyst@acme.example", "trufflehog"), (row.FileName, row.ImportedBy, row.Format));
        Assert.NotEqual(default, row.ImportedAt);
        Assert.Equal((0, 0, 0), (await db.Tokens.CountAsync(), await db.Occurrences.CountAsync(), await db.Exposures.CountAsync()));
    }

    [Fact]
    public async Task A_file_rejected_for_too_many_bad_records_records_only_its_rejection()
    {
        await using var h = await ImportHarness.StartAsync();
        var good = (await File.ReadAllLinesAsync(Sample("trufflehog.jsonl"))).First(l => l.Length > 0);
        var path = await h.WriteTempAsync("mostly-bad.jsonl", string.Join('\n', good, "{\"DetectorName\": 5}", "{}", "{}"));

        await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, "trufflehog"));

        await using var db = h.Db();
        var row = await db.Imports.SingleAsync();
        Assert.Equal(ImportStatus.Rejected, row.Status);
        Assert.Contains("more than half", row.RejectionReason, StringComparison.Ordinal);
        Assert.Equal(0, await db.Tokens.CountAsync());
        Assert.Equal(0, await db.Exposures.CountAsync());
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.Kind == "import.completed"));
    }

    [Fact]
    public async Task A_good_file_after_a_rejected_one_is_not_called_the_same_file_again()
    {
        await using var h = await ImportHarness.StartAsync();
        var path = await h.WriteTempAsync("scan.jsonl", await File.ReadAllTextAsync(Sample("trufflehog.jsonl")));
        // The same bytes forced into the wrong format: rejected.
        await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, "gitleaks"));

        var summary = await h.ImportAsync(path);

        Assert.Null(summary.SameFileAsImportId);
        Assert.True(summary.TokensNew > 0);
        await using var db = h.Db();
        Assert.Equal([ImportStatus.Rejected, ImportStatus.Completed], await db.Imports.OrderBy(i => i.Id).Select(i => i.Status).ToListAsync());
    }
}

public class UploadImportTests
{
    private static UploadImport Flow(ImportHarness h, int megabytes) => new(h.Imports, h.Services.GetRequiredService<UploadSpool>(),
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Imports:MaxUploadMegabytes"] = megabytes.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Build());

    private static ImportRequest Request(string name) => new(name, null, null, "analyst@example.com");

    [Fact]
    public async Task An_upload_within_the_limit_is_spooled_imported_and_its_spool_file_deleted()
    {
        await using var h = await ImportHarness.StartAsync();
        var flow = Flow(h, 1);
        var bytes = await File.ReadAllBytesAsync(Sample("trufflehog.jsonl"));
        var uploaded = 0L;

        var summary = await flow.ImportAsync(new MemoryStream(bytes), bytes.Length, Request("scan.jsonl"), new Progress<long>(b => uploaded = b));

        Assert.Equal((ImportFormats.TruffleHog, 4), (summary.Format, summary.TokensNew));
        Assert.Empty(Directory.EnumerateFiles(h.Services.GetRequiredService<UploadSpool>().Directory));
    }

    [Fact]
    public async Task A_declared_length_beyond_the_limit_is_refused_before_reading_and_writes_nothing()
    {
        await using var h = await ImportHarness.StartAsync();
        var before = await h.SnapshotAsync();
        var body = new MemoryStream(new byte[16]);

        var ex = await Assert.ThrowsAsync<UploadTooLargeException>(() => Flow(h, 1).ImportAsync(body, 2L * 1024 * 1024, Request("big.jsonl")));

        Assert.Contains("upload limit of 1 MB", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, body.Position);
        Assert.Equal(before, await h.SnapshotAsync());
        await using var db = h.Db();
        Assert.Equal(0, await db.Imports.CountAsync());
    }

    [Fact]
    public async Task A_body_longer_than_the_limit_without_a_declared_length_is_refused_and_leaves_no_spool_file()
    {
        await using var h = await ImportHarness.StartAsync();
        var body = new MemoryStream(new byte[(1024 * 1024) + 10]);

        await Assert.ThrowsAsync<UploadTooLargeException>(() => Flow(h, 1).ImportAsync(body, null, Request("big.jsonl")));

        Assert.Empty(Directory.EnumerateFiles(h.Services.GetRequiredService<UploadSpool>().Directory));
        await using var db = h.Db();
        Assert.Equal(0, await db.Imports.CountAsync());
    }
}
