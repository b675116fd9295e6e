using System.Text;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>A secret is never stored in clear: not in the database file, its WAL, nor the logs.</summary>
public class SecretLeakTests
{
    [Fact]
    public async Task No_imported_secret_is_in_the_database_bytes_the_wal_or_the_logs()
    {
        await using var h = await ImportHarness.StartAsync();
        foreach (var (path, format) in new[]
        {
            (Sample("trufflehog.jsonl"), "trufflehog"), (Sample("gitleaks.json"), "gitleaks"), (Sample("github-alerts.json"), "github-alerts"),
            (Sample("gitleaks.sarif"), "sarif"), (Real("trufflehog-v3-git.jsonl"), "trufflehog"), (Real("trufflehog-v3-github.jsonl"), "trufflehog"),
            (Real("gitleaks8-many.json"), "gitleaks"), (Real("github-alerts-many.json"), "github-alerts"), (Real("github-alerts-one.json"), "github-alerts"),
            (Real("sarif-gitleaks.sarif"), "sarif"), (Path.Combine(AppContext.BaseDirectory, "Fixtures", "cross", "trufflehog.jsonl"), "trufflehog"),
        })
        {
            await h.ImportAsync(path, format);
        }
        // A rejected file's error path must not leak either.
        await Assert.ThrowsAsync<GovernanceDashboard.Importers.ImportRejectedException>(() => h.ImportAsync(Real("gitleaks-7.5.0.json")));

        var secrets = KnownSecrets.Append("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").ToList();
        Assert.True(secrets.Count >= 10, "the fixtures should hold secrets to look for");

        await using (var db = h.Db())
            Assert.True(db.Exposures.Any(e => e.Escrow != null), "open exposures keep an encrypted escrow copy");
        SqliteConnection.ClearAllPools();
        var files = new[] { h.Store.DatabasePath, h.Store.DatabasePath + "-wal", h.Store.DatabasePath + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(h.Store.DatabasePath, files);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in secrets)
            {
                Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"a secret ({secret[..4]}…) is in {Path.GetFileName(file)}");
                // Nor its base64 form (older TruffleHog's Raw).
                Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)))) >= 0);
            }
        }
        var logs = string.Join('\n', h.Logs.Lines);
        Assert.Contains("Import", logs, StringComparison.Ordinal);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
    }
}
