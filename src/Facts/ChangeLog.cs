using System.Data.Common;
using Microsoft.EntityFrameworkCore.Migrations;

namespace GovernanceDashboard.Facts;

/// <summary>What the ChangeLog table's Entity column numbers; the triggers write them. Never renumber.</summary>
internal enum ChangeEntity { Token = 1, Exposure = 2, Grant = 3, Person = 4, Task = 5, Campaign = 6, Occurrence = 7 }

/// <summary>A table whose every insert, update and delete is logged. <paramref name="Since"/> names the migration that
/// installs its triggers: null for the provider's ChangeLog migration (the tables that existed then).</summary>
internal sealed record ChangeLogTable(string Table, ChangeEntity Entity, string? Since = null);

/// <summary>The change log: which tables feed it (declared once, here), the SQL that installs it on each provider, and
/// pruning of what was read.</summary>
/// <remarks>
/// Every insert, update or delete of a row the metrics and the inventory compute over appends (entity, row id), whoever
/// writes it (the web app, a CLI import in another process, raw SQL), in the writer's own transaction.
/// <see cref="GovernanceFacts"/> reads it to keep its in-memory projection current.
/// To log another table: add it to <see cref="Tracked"/> with <c>Since</c> = the name of a new migration in EACH set,
/// whose Up calls <c>ChangeLogSchema.Install(migrationBuilder, "ThatMigration")</c> (the tables of older migrations are
/// left alone, so a fresh store replays every migration unchanged).
/// </remarks>
internal static class ChangeLog
{
    /// <summary>The change-logged tables, the one list the triggers of both providers and the facts loader follow.</summary>
    public static readonly IReadOnlyList<ChangeLogTable> Tracked =
    [
        new("Tokens", ChangeEntity.Token), new("Exposures", ChangeEntity.Exposure), new("WriteScopeGrants", ChangeEntity.Grant),
        new("People", ChangeEntity.Person), new("AttestationTasks", ChangeEntity.Task), new("AttestationCampaigns", ChangeEntity.Campaign),
        new("Occurrences", ChangeEntity.Occurrence),
    ];

    /// <summary>The last sequence number ever given (0 when none) and the oldest still kept (null when the log is empty). SQLite.</summary>
    public static (long Latest, long? Oldest) Range(DbConnection connection, DbTransaction? tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        // sqlite_sequence keeps AUTOINCREMENT's high-water mark even when every entry was pruned.
        command.CommandText = "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'ChangeLog'), (SELECT MIN(Seq) FROM ChangeLog)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    /// <summary>Makes every reader load everything again (SQLite): moves the log's sequence past what a reader reads entry by
    /// entry (<see cref="GovernanceFacts.FullReloadAbove"/>), inside the writer's transaction. For a bulk write that ran
    /// without the triggers (<c>BulkLoad</c>); the next entry is numbered after the gap.</summary>
    public static void MarkAllChanged(DbConnection connection, DbTransaction tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        // sqlite_sequence has no row for the log until its first entry.
        command.CommandText = $"""
            INSERT INTO sqlite_sequence ("name", "seq") SELECT 'ChangeLog', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE "name" = 'ChangeLog');
            UPDATE sqlite_sequence SET "seq" = "seq" + {GovernanceFacts.FullReloadAbove + 1} WHERE "name" = 'ChangeLog';
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Deletes entries up to <paramref name="throughSeq"/>; a reader that had not read them reloads everything. SQLite,
    /// where one process serves the dashboard (see docs/database.md).</summary>
    public static int Prune(DbConnection connection, long throughSeq)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ChangeLog WHERE Seq <= @seq";
        // A writer (a long import) holds SQLite's only write lock: try again at the next refresh rather than wait.
        command.CommandTimeout = 1;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@seq";
        parameter.Value = throughSeq;
        command.Parameters.Add(parameter);
        try
        {
            return command.ExecuteNonQuery();
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            return 0;
        }
    }
}

/// <summary>Installs the change log from <see cref="ChangeLog.Tracked"/>, for the provider the migration runs on.</summary>
public static class ChangeLogSchema
{
    /// <summary>Creates the log (when <paramref name="since"/> is null) and the triggers of the tables it names.</summary>
    public static void Install(MigrationBuilder migrationBuilder, string? since = null)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var postgres = ProviderMigrationsAssembly.ProviderOf(migrationBuilder.ActiveProvider ?? "") == StoreProvider.Postgres;
        if (since is null)
            foreach (var sql in postgres ? PostgresLog : SqliteLog) migrationBuilder.Sql(sql);
        foreach (var table in ChangeLog.Tracked.Where(t => t.Since == since))
            foreach (var sql in postgres ? PostgresTriggers(table) : SqliteTriggers(table)) migrationBuilder.Sql(sql);
    }

    /// <summary>Drops what <see cref="Install"/> created.</summary>
    public static void Uninstall(MigrationBuilder migrationBuilder, string? since = null)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        var postgres = ProviderMigrationsAssembly.ProviderOf(migrationBuilder.ActiveProvider ?? "") == StoreProvider.Postgres;
        foreach (var table in ChangeLog.Tracked.Where(t => t.Since == since))
            foreach (var verb in TriggerVerbs)
                migrationBuilder.Sql(postgres ? $"DROP TRIGGER \"{table.Table}_{verb}\" ON \"{table.Table}\";" : $"DROP TRIGGER \"{table.Table}_{verb}\";");
        if (since is not null) return;
        if (postgres)
        {
            migrationBuilder.Sql("DROP FUNCTION \"ChangeLog_Append\"();");
            migrationBuilder.Sql("DROP TABLE \"FactReaders\";");
        }
        migrationBuilder.Sql("DROP TABLE \"ChangeLog\";");
    }

    // Each tracked table's triggers are named "{table}_{verb}".
    private static readonly string[] TriggerVerbs = ["Inserted", "Updated", "Deleted"];

    /// <summary>Whether <paramref name="trigger"/> is one of the change-log triggers <see cref="Install"/> puts on <paramref name="table"/>.</summary>
    internal static bool IsLogTrigger(string table, string trigger) => TriggerVerbs.Any(verb => trigger == $"{table}_{verb}");

    // AUTOINCREMENT: a sequence number is never reused after old entries are pruned.
    private static readonly string[] SqliteLog =
        ["CREATE TABLE \"ChangeLog\" (\"Seq\" INTEGER PRIMARY KEY AUTOINCREMENT, \"Entity\" INTEGER NOT NULL, \"RowId\" INTEGER NOT NULL);"];

    private static IEnumerable<string> SqliteTriggers(ChangeLogTable t)
    {
        var (table, entity) = (t.Table, (int)t.Entity);
        yield return $"CREATE TRIGGER \"{table}_Inserted\" AFTER INSERT ON \"{table}\" BEGIN INSERT INTO \"ChangeLog\" (\"Entity\", \"RowId\") VALUES ({entity}, NEW.\"Id\"); END;";
        yield return $"CREATE TRIGGER \"{table}_Updated\" AFTER UPDATE ON \"{table}\" BEGIN INSERT INTO \"ChangeLog\" (\"Entity\", \"RowId\") VALUES ({entity}, NEW.\"Id\"); END;";
        yield return $"CREATE TRIGGER \"{table}_Deleted\" AFTER DELETE ON \"{table}\" BEGIN INSERT INTO \"ChangeLog\" (\"Entity\", \"RowId\") VALUES ({entity}, OLD.\"Id\"); END;";
    }

    // PostgreSQL hands out sequence numbers before commit, so "everything up to sequence N" is not a safe reading point
    // (a transaction holding N-1 may commit later). Each entry carries its writer's transaction id instead: a reader that
    // saw the snapshot's xmin X next reads every entry with Xid >= X (everything not yet finished then), which is safe.
    // FactReaders: each instance's last xmin read and heartbeat; entries are pruned only below every live reader's xmin.
    private static readonly string[] PostgresLog =
    [
        """
        CREATE TABLE "ChangeLog" ("Seq" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "Entity" integer NOT NULL, "RowId" bigint NOT NULL,
            "Xid" bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint));
        """,
        "CREATE INDEX \"IX_ChangeLog_Xid\" ON \"ChangeLog\" (\"Xid\");",
        "CREATE TABLE \"FactReaders\" (\"Instance\" text PRIMARY KEY, \"ReadXmin\" bigint NOT NULL, \"SeenAt\" bigint NOT NULL);",
        // Statement-level with a transition table: one INSERT ... SELECT per statement, not one per row (set-based imports).
        """
        CREATE FUNCTION "ChangeLog_Append"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO "ChangeLog" ("Entity", "RowId") SELECT TG_ARGV[0]::integer, "Id" FROM changed;
            RETURN NULL;
        END $$;
        """,
    ];

    private static IEnumerable<string> PostgresTriggers(ChangeLogTable t)
    {
        var (table, entity) = (t.Table, (int)t.Entity);
        yield return $"CREATE TRIGGER \"{table}_Inserted\" AFTER INSERT ON \"{table}\" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION \"ChangeLog_Append\"('{entity}');";
        yield return $"CREATE TRIGGER \"{table}_Updated\" AFTER UPDATE ON \"{table}\" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION \"ChangeLog_Append\"('{entity}');";
        yield return $"CREATE TRIGGER \"{table}_Deleted\" AFTER DELETE ON \"{table}\" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION \"ChangeLog_Append\"('{entity}');";
    }
}
