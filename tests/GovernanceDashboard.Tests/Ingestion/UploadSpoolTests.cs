using System.Net.Http.Headers;
using System.Text;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>Uploads spooled for an import are private, encrypted, and gone after a crash and a restart.</summary>
public class UploadSpoolTests
{
    private const int Records = 150_000;

    private static string Secret(int i) => "hf_" + i.ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + "abcdefghijklmnopqrstuvwx";

    [Fact]
    public async Task A_killed_import_leaves_only_ciphertext_in_a_private_spool_and_the_restart_empties_it()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using (var db = store.Factory.CreateDbContext())
        {
            db.People.Add(new Person { Email = "analyst@example.com", DisplayName = "Analyst", Roles = Roles.Analyst });
            await db.SaveChangesAsync();
        }
        var created = await CliRunner.RunAsync(store, "apikey", "create", "--person", "analyst@example.com", "--name", "ci");
        Assert.Equal(0, created.ExitCode);
        var big = Path.Combine(store.Directory, "big.jsonl");
        await TruffleHogFile.WriteAsync(big, Records);
        var spool = Path.Combine(store.Directory, "spool");

        var dashboard = await DashboardProcess.StartAsync(store);
        using var client = new HttpClient { BaseAddress = new Uri(dashboard.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("X-Api-Key", created.Out.Trim());
        using var stop = new CancellationTokenSource();
        var upload = client.PostAsync("/api/imports?fileName=big.jsonl",
            new StreamContent(File.OpenRead(big)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, stop.Token);

        // The upload is spooled in full (64 KiB chunks, 16 bytes of tag each) before the import reads it: wait for that.
        var plainLength = new FileInfo(big).Length;
        var sealedLength = plainLength + 16 * ((plainLength + 65535) / 65536);
        var spooled = await WaitForSpoolAsync(spool, sealedLength, upload);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(spool));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spooled));
        }
        var bytes = await File.ReadAllBytesAsync(spooled);
        Assert.Equal(sealedLength, bytes.Length);
        foreach (var needle in new[] { Secret(0), Secret(Records / 2), Secret(Records - 1), "abcdefghijklmnopqrstuvwx", "HuggingFace", "SourceMetadata" })
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)));

        // Killed mid-import: nothing could delete the spool file.
        Assert.False(upload.IsCompleted);
        await dashboard.KillAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => upload);
        Assert.True(File.Exists(spooled));

        await using var restarted = await DashboardProcess.StartAsync(store);
        Assert.Empty(Directory.EnumerateFileSystemEntries(spool));
    }

    [Fact]
    public async Task The_spooled_stream_reads_back_the_upload_and_seeks()
    {
        await using var store = await new TestStore().MigrateAsync();
        var keys = new GovernanceDashboard.Secrets.KeyStore(
            new ConfigurationBuilder().AddInMemoryCollection(store.Settings).Build(),
            new Env(store.Directory));
        var spool = new UploadSpool(keys, Microsoft.Extensions.Logging.Abstractions.NullLogger<UploadSpool>.Instance);
        var content = new byte[3 * 65536 + 123];
        new Random(7).NextBytes(content);

        await using var upload = await spool.SpoolAsync(new MemoryStream(content), content.Length, CancellationToken.None);
        Assert.NotNull(upload);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), upload.Sha256);
        await using var read = upload.OpenRead();
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
        read.Position = 65536 + 10;
        Assert.Equal(content[65536 + 10], (byte)read.ReadByte());

        // One byte over the limit: nothing is kept.
        Assert.Null(await spool.SpoolAsync(new MemoryStream(content), content.Length - 1, CancellationToken.None));
        Assert.Single(Directory.EnumerateFiles(spool.Directory));
    }

    private static async Task<string> WaitForSpoolAsync(string spool, long sealedLength, Task<HttpResponseMessage> upload)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            if (upload.IsCompleted) throw new InvalidOperationException($"The upload ended before it was seen spooled: {await upload}");
            var file = Directory.Exists(spool) ? Directory.EnumerateFiles(spool).FirstOrDefault() : null;
            if (file is not null && new FileInfo(file).Length == sealedLength) return file;
            await Task.Delay(100, timeout.Token);
        }
    }

    private sealed class Env(string root) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "GovernanceDashboard";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
