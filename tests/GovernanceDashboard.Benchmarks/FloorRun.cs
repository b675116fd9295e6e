using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Benchmarks;

/// <summary>The floor, run in a child process: the least an importer of this file has to do, written plainly, to compare
/// the real import against.</summary>
/// <remarks>
/// Reads the file line by line as bytes, parses each line with System.Text.Json (<c>Raw</c> and the source metadata's
/// repository, file, line and commit), names the token by HMAC-SHA-256 of the secret, and keys the occurrence by an
/// HMAC of that identity and the place (the product's dedupe rule, without building a string for it). Rows go into a
/// fresh SQLite file in WAL mode, with foreign keys on as EF Core opens them, through prepared Microsoft.Data.Sqlite
/// statements in one transaction. Tokens are deduplicated in the database, not in memory:
/// <c>INSERT … ON CONFLICT ("Identity") DO NOTHING RETURNING "Id"</c>, then a <c>SELECT</c> by identity when the token
/// was already there, so the floor's memory stays bounded as the product's must. Occurrences use
/// <c>INSERT … ON CONFLICT ("Key") DO NOTHING</c>. No exposures, no escrow, no ExtraData, no import record.
/// </remarks>
public static class FloorRun
{
    private const string Schema = """
        CREATE TABLE "Tokens" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_Tokens" PRIMARY KEY AUTOINCREMENT,
            "Identity" TEXT NOT NULL,
            "FirstSeenAt" INTEGER NOT NULL);
        CREATE UNIQUE INDEX "IX_Tokens_Identity" ON "Tokens" ("Identity");
        CREATE TABLE "Occurrences" (
            "Id" INTEGER NOT NULL CONSTRAINT "PK_Occurrences" PRIMARY KEY AUTOINCREMENT,
            "TokenId" INTEGER NOT NULL CONSTRAINT "FK_Occurrences_Tokens_TokenId" REFERENCES "Tokens" ("Id"),
            "Key" TEXT NOT NULL,
            "Repository" TEXT NULL,
            "File" TEXT NULL,
            "Line" INTEGER NULL,
            "Commit" TEXT NULL);
        CREATE UNIQUE INDEX "IX_Occurrences_Key" ON "Occurrences" ("Key");
        CREATE INDEX "IX_Occurrences_TokenId" ON "Occurrences" ("TokenId");
        """;

    /// <param name="pragmas">Extra connection settings (e.g. the ones the product's import applies), run before the timed part.</param>
    public static async Task<int> RunAsync(string file, string workDirectory, string? pragmas = null)
    {
        Directory.CreateDirectory(workDirectory);
        var database = Path.Combine(workDirectory, "floor.db");
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;");
        if (!string.IsNullOrWhiteSpace(pragmas)) Execute(connection, pragmas);
        Execute(connection, Schema);
        var key = RandomNumberGenerator.GetBytes(32);

        var meter = new RunMeter();
        var counts = Import(connection, file, key);
        var result = meter.Complete(counts, database, database + "-wal");
        Console.WriteLine(result.ToLine());
        return 0;
    }

    private static RunResult Import(SqliteConnection connection, string file, byte[] key)
    {
        using var transaction = connection.BeginTransaction();
        using var insertToken = Prepare(connection, transaction,
            """INSERT INTO "Tokens" ("Identity", "FirstSeenAt") VALUES ($identity, $seen) ON CONFLICT ("Identity") DO NOTHING RETURNING "Id" """,
            "$identity", "$seen");
        using var findToken = Prepare(connection, transaction, """SELECT "Id" FROM "Tokens" WHERE "Identity" = $identity""", "$identity");
        using var insertOccurrence = Prepare(connection, transaction, """
            INSERT INTO "Occurrences" ("TokenId", "Key", "Repository", "File", "Line", "Commit")
            VALUES ($token, $key, $repository, $file, $line, $commit) ON CONFLICT ("Key") DO NOTHING
            """, "$token", "$key", "$repository", "$file", "$line", "$commit");
        using var placeHash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        var seen = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Span<byte> identityHash = stackalloc byte[32];
        Span<byte> placeKey = stackalloc byte[32];
        var secretBytes = new byte[1024];

        int records = 0, rejected = 0, tokensNew = 0, tokensSeen = 0, occurrencesNew = 0, duplicates = 0;
        foreach (var (secret, repository, path, lineNumber, commit) in Records(file))
        {
            records++;
            if (string.IsNullOrEmpty(secret))
            {
                rejected++;
                continue;
            }

            if (secretBytes.Length < Encoding.UTF8.GetMaxByteCount(secret.Length)) secretBytes = new byte[Encoding.UTF8.GetMaxByteCount(secret.Length)];
            var secretLength = Encoding.UTF8.GetBytes(secret, secretBytes);
            HMACSHA256.HashData(key, secretBytes.AsSpan(0, secretLength), identityHash);
            var identity = "s:" + Convert.ToHexStringLower(identityHash);

            insertToken.Parameters[0].Value = identity;
            insertToken.Parameters[1].Value = seen;
            long tokenId;
            if (insertToken.ExecuteScalar() is long inserted)
            {
                tokenId = inserted;
                tokensNew++;
            }
            else
            {
                findToken.Parameters[0].Value = identity;
                tokenId = (long)findToken.ExecuteScalar()!;
                tokensSeen++;
            }

            placeHash.AppendData(identityHash);
            AppendField(placeHash, repository);
            AppendField(placeHash, path);
            AppendField(placeHash, lineNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            AppendField(placeHash, commit);
            placeHash.GetHashAndReset(placeKey);

            var p = insertOccurrence.Parameters;
            p[0].Value = tokenId;
            p[1].Value = Convert.ToHexStringLower(placeKey);
            p[2].Value = (object?)repository ?? DBNull.Value;
            p[3].Value = (object?)path ?? DBNull.Value;
            p[4].Value = (object?)lineNumber ?? DBNull.Value;
            p[5].Value = (object?)commit ?? DBNull.Value;
            if (insertOccurrence.ExecuteNonQuery() == 1) occurrencesNew++;
            else duplicates++;
        }
        transaction.Commit();
        return new RunResult
        {
            Records = records, Rejected = rejected, TokensNew = tokensNew, TokensSeen = tokensSeen, OccurrencesNew = occurrencesNew, Duplicates = duplicates,
        };
    }

    private readonly record struct FloorRecord(string? Secret, string? Repository, string? Path, long? Line, string? Commit);

    /// <summary>The records of the file by its name (as the benchmark writes them): gitleaks-* and github-alerts-* are JSON arrays,
    /// read element by element with System.Text.Json; anything else is TruffleHog JSON lines.</summary>
    private static IEnumerable<FloorRecord> Records(string file)
    {
        var name = System.IO.Path.GetFileName(file);
        if (name.StartsWith(ScanFormatGenerator.Gitleaks + "-", StringComparison.Ordinal)) return ArrayElements(file, Gitleaks);
        if (name.StartsWith(ScanFormatGenerator.GitHubAlerts + "-", StringComparison.Ordinal)) return ArrayElements(file, Alert);
        return TruffleHogLines(file);
    }

    private static IEnumerable<FloorRecord> TruffleHogLines(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        foreach (var line in Lines(stream))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var secret = Text(root, "Raw");
            string? repository = null, path = null, commit = null;
            long? lineNumber = null;
            if (root.TryGetProperty("SourceMetadata", out var metadata) && metadata.TryGetProperty("Data", out var data))
            {
                foreach (var source in data.EnumerateObject())
                {
                    if (source.Value.ValueKind != JsonValueKind.Object) continue;
                    repository = Text(source.Value, "repository");
                    path = Text(source.Value, "file");
                    commit = Text(source.Value, "commit");
                    lineNumber = source.Value.TryGetProperty("line", out var n) && n.TryGetInt64(out var l) ? l : null;
                    break;
                }
            }
            yield return new FloorRecord(secret, repository, path, lineNumber, commit);
        }
    }

    private static IEnumerable<FloorRecord> ArrayElements(string file, Func<JsonElement, FloorRecord> map)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream).ToBlockingEnumerable())
        {
            yield return map(element);
        }
    }

    private static FloorRecord Gitleaks(JsonElement e) =>
        new(Text(e, "Secret"), null, Text(e, "File"), e.TryGetProperty("StartLine", out var n) && n.TryGetInt64(out var l) ? l : null, Text(e, "Commit"));

    // An alert's place is its repository and number.
    private static FloorRecord Alert(JsonElement e) =>
        new(Text(e, "secret"), e.TryGetProperty("repository", out var r) ? Text(r, "full_name") : null, null,
            e.TryGetProperty("number", out var n) && n.TryGetInt64(out var l) ? l : null, null);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // "\n" before each field keeps ("ab", "c") and ("a", "bc") apart.
    private static void AppendField(IncrementalHash hash, string? value)
    {
        hash.AppendData("\n"u8);
        if (string.IsNullOrEmpty(value)) return;
        Span<byte> buffer = stackalloc byte[512];
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= buffer.Length) hash.AppendData(buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
        else hash.AppendData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The file's lines as byte slices of one growing buffer (each valid until the next is read), without "\r\n".</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Lines(Stream stream)
    {
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                var length = newline - start;
                if (length > 0 && buffer[newline - 1] == (byte)'\r') length--;
                if (length > 0) yield return buffer.AsMemory(start, length);
                start = newline + 1;
                continue;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > start) yield return buffer.AsMemory(start, end - start);
                yield break;
            }
            end += read;
        }
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
