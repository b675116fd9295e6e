using System.Text;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Tests.Infrastructure;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>Bad input gets a clear error naming the problem and the line, and loses nothing.</summary>
public class BadInputImportTests
{
    public static TheoryData<string, byte[], string?, string> RejectedFiles => new()
    {
        { "not-a-scan.txt", Encoding.UTF8.GetBytes("hello, this is not a scan\n"), null, "expected one of trufflehog" },
        { "truncated.json", Encoding.UTF8.GetBytes("[{\"RuleID\": \"github-pat\", \"Secret\": \"ghp_"), "gitleaks", "line 1" },
        { "garbage.bin", [0x00, 0xFF, 0xFE, 0x13, 0x37, 0x00, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], null, "byte" },
        { "empty.jsonl", [], "trufflehog", "empty" },
        { "people-missing-columns.csv", Encoding.UTF8.GetBytes("email,display_name\njane@example.com,Jane\n"), "people-csv", "team" },
        { "owners-as-sarif.csv", Encoding.UTF8.GetBytes("platform,account,owner_email\nGitHub,jdoe,jdoe@example.com\n"), "sarif", "sarif" },
    };

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public async Task A_rejected_file_says_why_and_writes_nothing(string name, byte[] content, string? format, string mentions)
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", "trufflehog.jsonl"));
        var path = await h.WriteTempAsync(name, content);
        var before = await h.SnapshotAsync();

        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(path, format));
        Assert.Contains(mentions, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task Invalid_UTF8_and_a_5_MB_line_are_rejected_alone_and_the_rest_imports()
    {
        await using var h = await ImportHarness.StartAsync();
        var good = (await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", "trufflehog.jsonl"))).Where(l => l.Length > 0).ToList();
        using var file = new MemoryStream();
        void Line(byte[] bytes) { file.Write(bytes); file.WriteByte((byte)'\n'); }
        Line(Encoding.UTF8.GetBytes(good[0]));
        Line([.. Encoding.UTF8.GetBytes("{\"DetectorName\":\"HuggingFace\",\"Raw\":\"hf_"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        Line(Encoding.UTF8.GetBytes("{\"DetectorName\":\"HuggingFace\",\"Raw\":\"" + new string('A', 5 * 1024 * 1024) + "\"}"));
        Line(Encoding.UTF8.GetBytes(good[1]));
        Line(Encoding.UTF8.GetBytes(good[2]));
        var path = await h.WriteTempAsync("mixed.jsonl", file.ToArray());

        var summary = await h.ImportAsync(path, "trufflehog");
        Assert.Equal([2, 3], summary.Rejected.Select(r => r.Line));
        Assert.Contains("UTF-8", summary.Rejected[0].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("MiB", summary.Rejected[1].Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, summary.TokensNew);
    }

    [Fact]
    public async Task An_unknown_format_id_is_rejected_with_the_list_of_formats()
    {
        await using var h = await ImportHarness.StartAsync();
        var ex = await Assert.ThrowsAsync<ImportRejectedException>(() =>
            h.ImportAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "samples", "trufflehog.jsonl"), "detect-secrets"));
        Assert.Contains("trufflehog", ex.Message, StringComparison.Ordinal);
    }
}
