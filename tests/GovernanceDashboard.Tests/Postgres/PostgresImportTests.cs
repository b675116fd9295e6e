using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Ingestion.Postgres;
using GovernanceDashboard.Secrets;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>The PostgreSQL import path (binary COPY into staging tables, set-based merge, decisions in memory): the same
/// summaries and rows as the SQLite path for the same files, in batches of any size; one token per secret when two imports
/// race; a failure after rows were copied leaves the store as it was.</summary>
public class PostgresImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FirstScan = new(2026, 9, 15, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_shared_fixture_files_give_the_same_summaries_and_rows_on_both_providers_whatever_the_batch_size()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gd-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var files = await FixtureSequenceAsync(directory);
            var sqlite = await ImportAllAsync(StoreProvider.Sqlite, files, batchRecords: null);
            Assert.Contains("\"TokensNew\":", sqlite.Summaries, StringComparison.Ordinal);
            Assert.Contains("Remediated", sqlite.Rows, StringComparison.Ordinal);
            Assert.Contains("Dismissed", sqlite.Rows, StringComparison.Ordinal);
            // Batches of one record (every decision crosses a batch), of three (some within, some across) and the default.
            foreach (var batch in new int?[] { 1, 3, null })
            {
                var postgres = await ImportAllAsync(StoreProvider.Postgres, files, batch);
                AssertSameLines(sqlite.Summaries, postgres.Summaries, $"summaries, batch {batch?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
                AssertSameLines(sqlite.Rows, postgres.Rows, $"rows, batch {batch?.ToString(CultureInfo.InvariantCulture) ?? "default"}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Two_imports_of_overlapping_files_racing_on_two_connections_give_one_token_per_secret()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now));
        var secrets = host.Services.GetRequiredService<SecretProtector>();
        int first, second;
        await using (var db = store.Db())
        {
            var imports = new[] { NewImport("a.jsonl"), NewImport("b.jsonl") };
            db.Imports.AddRange(imports);
            await db.SaveChangesAsync();
            (first, second) = (imports[0].Id, imports[1].Id);
        }
        // 1,500 findings each, 1,000 of them in both (the second file in reverse order).
        var all = Enumerable.Range(0, 2000).Select(RaceFinding).ToList();
        var a = all.Take(1500).ToList();
        var b = all.Skip(500).Reverse().ToList();

        using var start = new Barrier(2);
        var results = await Task.WhenAll(
            Task.Run(() => Import(store.ConnectionString, secrets, first, a, start)),
            Task.Run(() => Import(store.ConnectionString, secrets, second, b, start)));

        await using var check = store.Db();
        Assert.Equal(2000, await check.Tokens.CountAsync());
        Assert.Equal(2000, await check.Occurrences.CountAsync());
        Assert.Equal(2000, await check.Exposures.CountAsync());
        Assert.Equal(2000, results.Sum(r => r.TokensNew));
        Assert.Equal(1000, results.Sum(r => r.TokensSeen));
        Assert.Equal(2000, results.Sum(r => r.OccurrencesNew));
        Assert.Equal(1000, results.Sum(r => r.Duplicates));
        Assert.Equal(2000, results.Sum(r => r.ExposuresOpened));
        Assert.All(results, r => Assert.Equal(1500, r.TokensNew + r.TokensSeen));
    }

    [Fact]
    public async Task A_failure_after_batches_were_copied_and_merged_leaves_the_store_as_it_was()
    {
        await using var store = await ProviderStore.CreateAsync(StoreProvider.Postgres);
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now), new Dictionary<string, string?> { [PostgresFindingWriter.BatchSetting] = "100" });
        var imports = host.Services.GetRequiredService<ImportService>();
        await imports.ImportFileAsync(Sample("trufflehog.jsonl"), new ImportRequest("trufflehog.jsonl", null, FirstScan, "analyst@example.com"));
        var path = Path.Combine(store.Directory, "big.jsonl");
        await Ingestion.TruffleHogFile.WriteAsync(path, 1000);
        // The database itself fails the import part way: once the import's exposures pass 500 (five batches copied and merged).
        await using (var db = store.Db())
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION gd_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF (SELECT count(*) FROM "Exposures") > 500 THEN RAISE EXCEPTION 'injected failure after COPY'; END IF; RETURN NULL; END $$;
                CREATE TRIGGER gd_test_fail AFTER INSERT ON "Exposures" FOR EACH STATEMENT EXECUTE FUNCTION gd_test_fail();
                """);
        }
        var before = await SnapshotAsync(store);

        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            imports.ImportFileAsync(path, new ImportRequest("big.jsonl", null, FirstScan.AddDays(1), "analyst@example.com")));
        Assert.Contains("injected failure after COPY", ex.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(store));
    }

    // ---- The fixture sequence and its comparison. ----

    private sealed record Outcome(string Summaries, string Rows);

    /// <summary>Every fixture file the import reads (directory files first), a file whose records change one token's exposure
    /// several times over (alerts of one secret opened, moved earlier, dismissed, remediated, in one file), and re-imports.</summary>
    private static async Task<List<string>> FixtureSequenceAsync(string directory)
    {
        var sequence = Path.Combine(directory, "sequence-alerts.json");
        await File.WriteAllTextAsync(sequence, SequenceAlerts());
        string Cross(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "cross", name);
        return
        [
            Sample("people.csv"), Sample("owners.csv"), Sample("trufflehog.jsonl"), Sample("gitleaks.json"), Sample("gitleaks.sarif"),
            Sample("github-alerts.json"), Cross("trufflehog.jsonl"), Cross("gitleaks.json"), Cross("github-alerts.json"), sequence,
            Real("trufflehog-v3-git.jsonl"), Real("trufflehog-v3-github.jsonl"), Real("trufflehog-issue-comment.jsonl"), Real("gitleaks8-many.json"),
            Real("gitleaks-7.5.0.json"), Real("gitleaks-baseline-redacted.json"), Real("github-alerts-many.json"), Real("github-alerts-paginated.json"),
            Real("sarif-gitleaks.sarif"), Cross("github-alerts-resolved.json"), sequence, Sample("trufflehog.jsonl"), Real("github-alerts-slurped.json"),
        ];
    }

    private static async Task<Outcome> ImportAllAsync(StoreProvider provider, List<string> files, int? batchRecords)
    {
        await using var store = await ProviderStore.CreateAsync(provider);
        // One identity key for every store of the comparison, so that a secret has the same identity (and place keys) in each.
        Directory.CreateDirectory(store.KeyDirectory);
        await File.WriteAllTextAsync(Path.Combine(store.KeyDirectory, "token-identity.key"), Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7 + 1)).ToArray()));
        var settings = batchRecords is { } n ? new Dictionary<string, string?> { [PostgresFindingWriter.BatchSetting] = n.ToString(CultureInfo.InvariantCulture) } : null;
        using var host = await store.StartHostAsync(new FakeTimeProvider(Now), settings);
        var imports = host.Services.GetRequiredService<ImportService>();
        var summaries = new StringBuilder();
        for (var i = 0; i < files.Count; i++)
        {
            var request = new ImportRequest(Path.GetFileName(files[i]), null, FirstScan.AddDays(i), "analyst@example.com") { MayChangeDirectory = true };
            try
            {
                // Import ids differ between the providers (a rolled-back import spends a PostgreSQL sequence value, not a SQLite row id).
                var summary = await imports.ImportFileAsync(files[i], request);
                summaries.AppendLine(System.Text.RegularExpressions.Regex.Replace(
                    JsonSerializer.Serialize(summary with { ImportId = 0, SameFileAsImportId = summary.SameFileAsImportId is null ? null : 0 }), @"import \d+", "import #"));
            }
            catch (ImportRejectedException ex)
            {
                summaries.AppendLine(CultureInfo.InvariantCulture, $"{request.FileName} rejected: {ex.Message}");
            }
        }
        await using var db = store.Db();
        return new Outcome(summaries.ToString(), await RowsAsync(db));
    }

    /// <summary>Tokens, occurrences and exposures as provider-neutral text: surrogate ids replaced by the token's identity
    /// (PostgreSQL's identity sequences are not SQLite's row ids), rows in id order where the order means something (an
    /// occurrence's place in the file, an exposure's), escrow copies reduced to their presence (each is freshly encrypted).</summary>
    private static async Task<string> RowsAsync(GovernanceDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var text = new StringBuilder();
        // An import by its scan time (each file of the sequence has its own).
        await AppendAsync(connection, text, "tokens",
            """SELECT i."ScannedAt" AS created, t.* FROM "Tokens" t LEFT JOIN "Imports" i ON i."Id" = t."CreatedImportId" """, ["Id", "CreatedImportId"], sorted: true);
        await AppendAsync(connection, text, "occurrences",
            """SELECT t."Identity" AS token, i."ScannedAt" AS imported, o.* FROM "Occurrences" o JOIN "Tokens" t ON t."Id" = o."TokenId" JOIN "Imports" i ON i."Id" = o."ImportId" ORDER BY o."Id" """,
            ["Id", "TokenId", "ImportId"]);
        await AppendAsync(connection, text, "exposures",
            """SELECT t."Identity" AS token, e."Escrow" IS NOT NULL AS escrowed, e.* FROM "Exposures" e JOIN "Tokens" t ON t."Id" = e."TokenId" ORDER BY e."Id" """, ["Id", "TokenId", "Escrow"]);
        return text.ToString();
    }

    /// <param name="sorted">order the rows by their text (ordinal): the providers' collations differ, the text does not.</param>
    private static async Task AppendAsync(DbConnection connection, StringBuilder text, string title, string sql, string[] skip, bool sorted = false)
    {
        var lines = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            // Columns by name: the providers' tables may order them differently.
            var fields = Enumerable.Range(0, reader.FieldCount).Where(i => !skip.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={Neutral(reader.IsDBNull(i) ? null : reader.GetValue(i))}").Order(StringComparer.Ordinal);
            lines.Add($"{title}: {string.Join('|', fields)}");
            rows++;
        }
        if (sorted) lines.Sort(StringComparer.Ordinal);
        foreach (var line in lines) text.AppendLine(line);
        Assert.True(rows > 0, $"no {title}");
    }

    // SQLite hands back integers and booleans as 64-bit integers, PostgreSQL as their own types.
    private static string Neutral(object? value) => value switch
    {
        null => "∅",
        bool b => b ? "1" : "0",
        string s => s,
        IConvertible c => Convert.ToInt64(c, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void AssertSameLines(string expected, string actual, string what)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
            Assert.True(e[i] == a[i], $"{what}, line {i + 1}:\nSQLite:     {e[i]}\nPostgreSQL: {a[i]}");
        Assert.Equal(e.Length, a.Length);
    }

    /// <summary>GitHub alerts whose order within the one file decides the outcome: secret A opened, moved earlier, dismissed,
    /// then seen again on its dismissed exposure; secret B opened and remediated by the same file, then seen earlier; secret C
    /// dismissed as won't fix while GitHub reports it inactive (revoked); the cross-scanner token reported inactive; a
    /// duplicate alert.</summary>
    private static string SequenceAlerts()
    {
        const string A = "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";
        const string B = "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";
        const string C = "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";
        const string Cross = "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";
        string[] alerts =
        [
            Alert(101, A, "2026-09-10T10:00:00Z", "open", null, null, "active"),
            Alert(102, A, "2026-09-05T10:00:00Z", "resolved", "false_positive", "2026-09-12T10:00:00Z", "active"),
            Alert(103, A, "2026-09-01T10:00:00Z", "open", null, null, "active"),
            Alert(104, B, "2026-09-03T10:00:00Z", "resolved", "revoked", "2026-09-04T10:00:00Z", "active"),
            Alert(105, B, "2026-09-02T10:00:00Z", "open", null, null, "unknown"),
            Alert(106, C, "2026-09-06T10:00:00Z", "open", null, null, "active"),
            Alert(107, C, "2026-09-07T10:00:00Z", "resolved", "wont_fix", "2026-09-08T10:00:00Z", "inactive"),
            Alert(108, Cross, "2026-08-25T10:00:00Z", "open", null, null, "inactive"),
            Alert(101, A, "2026-09-10T10:00:00Z", "open", null, null, "active"),
        ];
        return "[" + string.Join(",\n", alerts) + "]";
    }

    private static string Alert(int number, string secret, string created, string state, string? resolution, string? resolvedAt, string validity) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["number"] = number, ["created_at"] = created, ["updated_at"] = resolvedAt ?? created,
            ["url"] = $"https://api.github.com/repos/acme/sequence/secret-scanning/alerts/{number}",
            ["html_url"] = $"https://github.com/acme/sequence/security/secret-scanning/{number}",
            ["state"] = state, ["resolution"] = resolution, ["resolved_at"] = resolvedAt,
            ["resolved_by"] = resolution is null ? null : new Dictionary<string, string> { ["login"] = "sec-bot" },
            ["secret_type"] = "hf_user_access_token", ["secret_type_display_name"] = "Hugging Face User Access Token", ["secret"] = secret,
            ["validity"] = validity, ["publicly_leaked"] = number % 2 == 0,
            ["repository"] = new Dictionary<string, object> { ["id"] = 2, ["name"] = "sequence", ["full_name"] = "acme/sequence", ["private"] = number % 3 == 0 },
            ["first_location_detected"] = new Dictionary<string, object>
            {
                ["path"] = $"src/f{number}.py", ["start_line"] = number % 50 + 1, ["end_line"] = number % 50 + 1, ["start_column"] = 1, ["end_column"] = 40,
                ["blob_sha"] = new string('2', 40), ["commit_sha"] = new string('3', 40),
            },
        });

    // ---- The race: the writer itself on two connections, each in its own transaction. ----

    private static ScanImport NewImport(string name) => new()
    {
        Format = ImportFormats.TruffleHog, FileName = name, Sha256 = name, ImportedBy = "t", ImportedAt = Now, ScannedAt = Now,
    };

    private static Finding RaceFinding(int i) => new(i + 1)
    {
        Scanner = "TruffleHog", Detector = "HuggingFace", Platform = TokenPlatform.HuggingFace, Kind = TokenKind.HuggingFaceUserToken,
        Secret = "hf_race" + i.ToString("D6", CultureInfo.InvariantCulture) + "abcdefghijklmnopqrstuvwx",
        Repository = "https://github.com/acme/race", File = $"f{i}.py", LineNumber = i % 100 + 1, Commit = i.ToString("x40", CultureInfo.InvariantCulture),
        Verification = Verification.Unverified,
    };

    private sealed record RaceResult(int TokensNew, int TokensSeen, int OccurrencesNew, int Duplicates, int ExposuresOpened);

    private static RaceResult Import(string connectionString, SecretProtector secrets, int importId, List<Finding> findings, Barrier start)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var namer = new FindingNamer(secrets);
        var named = findings.Select(f => (f, namer.Name(f))).ToList();
        using var writer = new PostgresFindingWriter(connection, transaction, importId, Now, Now);
        start.SignalAndWait();
        foreach (var (f, names) in named) Assert.Null(writer.Write(f, names));
        writer.Complete();
        transaction.Commit();
        return new RaceResult(writer.TokensNew, writer.TokensSeen, writer.OccurrencesNew, writer.Duplicates, writer.ExposuresOpened);
    }

    private static async Task<string> SnapshotAsync(ProviderStore store)
    {
        await using var db = store.Db();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        return await StoreDump.TablesAsync(connection, "Tokens", "Occurrences", "Exposures", "Imports", "AuditEvents", "ChangeLog");
    }
}
