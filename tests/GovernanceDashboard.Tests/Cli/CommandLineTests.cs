using System.Text.Json;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Tests.Cli;

/// <summary>The verbs of docs/interfaces.md, run as a real child process against a real SQLite file.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task Audit_verify_exits_3_naming_an_event_edited_in_the_sqlite_file()
    {
        await using var store = new TestStore();
        Assert.Equal(0, (await CliRunner.RunAsync(store, "seed-demo")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(store, "apikey", "create", "--person", "sec.lead@acme.example", "--name", "ci")).ExitCode);

        var intact = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(0, intact.ExitCode);

        await using (var connection = new SqliteConnection(store.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE AuditEvents SET Actor = 'someone-else' WHERE Id = 2;";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        SqliteConnection.ClearAllPools();

        var broken = await CliRunner.RunAsync(store, "audit", "verify");
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("event 2", broken.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_demo_fills_an_empty_store_once_and_then_exits_2()
    {
        await using var store = new TestStore();
        var first = await CliRunner.RunAsync(store, "seed-demo");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("tokens", first.Out, StringComparison.Ordinal);

        var second = await CliRunner.RunAsync(store, "seed-demo");
        Assert.Equal(2, second.ExitCode);
    }

    [Fact]
    public async Task Metrics_json_prints_only_the_metrics_object_with_the_fixed_names()
    {
        await using var store = new TestStore();
        await CliRunner.RunAsync(store, "seed-demo");
        var result = await CliRunner.RunAsync(store, "metrics", "--as-of", "2026-11-28T00:00:00Z", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("2026-11-28T00:00:00+00:00", root.GetProperty("asOf").GetString());
        foreach (var path in new[]
        {
            "tokens.total", "tokens.active", "tokens.byPlatform.HuggingFace", "tokens.byPlatform.GitHub", "tokens.byPlatform.Other",
            "tokens.byStatus.Active", "tokens.byStatus.Exposed", "tokens.byStatus.Revoked", "tokens.byStatus.Expired",
            "ownerCoverage.owned", "ownerCoverage.active", "ownerCoverage.orphaned", "ownerCoverage.ratio",
            "writeScope.writeCapable", "writeScope.unknown", "writeScope.active", "writeScope.justified", "writeScope.ratio", "writeScope.justifiedRatio",
            "exposures.total", "exposures.open", "exposures.remediated", "exposures.dismissed", "exposures.oldestOpenAgeHours", "exposures.breached",
            "timeToRemediate.count", "timeToRemediate.meanHours", "timeToRemediate.medianHours", "timeToRemediate.p90Hours", "timeToRemediate.withinSlaRatio",
            "attestation.due", "attestation.attested", "attestation.completionRatio",
        })
        {
            var element = root;
            foreach (var part in path.Split('.'))
                Assert.True(element.TryGetProperty(part, out element), $"missing {path}");
        }
        Assert.True(root.GetProperty("tokens").GetProperty("total").GetInt32() > 100);
    }

    [Fact]
    public async Task Metrics_on_an_empty_store_gives_nulls_for_empty_ratios()
    {
        await using var store = new TestStore();
        var result = await CliRunner.RunAsync(store, "metrics", "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("ownerCoverage").GetProperty("ratio").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("timeToRemediate").GetProperty("medianHours").ValueKind);
        Assert.Equal(0, doc.RootElement.GetProperty("tokens").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Apikey_create_prints_the_key_once_and_stores_only_its_hash()
    {
        await using var store = new TestStore();
        await CliRunner.RunAsync(store, "seed-demo");
        var result = await CliRunner.RunAsync(store, "apikey", "create", "--person", "sec.analyst@acme.example", "--name", "pipeline");

        Assert.Equal(0, result.ExitCode);
        var key = result.Out.Trim();
        Assert.StartsWith("gdk_", key, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(store.DatabasePath);
        var wal = File.Exists(store.DatabasePath + "-wal") ? await File.ReadAllBytesAsync(store.DatabasePath + "-wal") : [];
        Assert.False(Contains(bytes, key) || Contains(wal, key), "the clear API key is in the database file");
    }

    [Fact]
    public async Task An_unknown_verb_prints_usage_and_exits_2_without_starting_the_dashboard()
    {
        await using var store = new TestStore();
        // Were the dashboard started, RunAsync would wait for its two-minute timeout and fail.
        var result = await CliRunner.RunAsync(store, "improt", "file.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown command \"improt\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("import FILE", result.Error, StringComparison.Ordinal);

        var help = await CliRunner.RunAsync(store, "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("revoke --exposure ID", help.Out, StringComparison.Ordinal);

        var missing = await CliRunner.RunAsync(store, "import");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("usage: import FILE", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apikey_create_for_an_unknown_person_fails_with_exit_1()
    {
        await using var store = new TestStore();
        var result = await CliRunner.RunAsync(store, "apikey", "create", "--person", "nobody@example.com", "--name", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nobody@example.com", result.Error, StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(needle)) >= 0;
}
