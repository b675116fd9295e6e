using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.src.Data.Migrations
{
    /// <summary>A change log written by triggers: every insert, update or delete of a row the metrics and the inventory
    /// compute over appends (entity, row id), whoever writes it (the web app, a CLI import in another process, raw SQL),
    /// in the writer's own transaction. <c>GovernanceFacts</c> reads it to keep its in-memory projection current.</summary>
    public partial class ChangeLog : Migration
    {
        // Entity numbers are read by src/Facts/ChangeLog.cs; never renumber them.
        private static readonly (string Table, int Entity)[] Tracked =
        [
            ("Tokens", 1), ("Exposures", 2), ("WriteScopeGrants", 3), ("People", 4),
            ("AttestationTasks", 5), ("AttestationCampaigns", 6), ("Occurrences", 7),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // AUTOINCREMENT: a sequence number is never reused after old entries are pruned.
            migrationBuilder.Sql("CREATE TABLE \"ChangeLog\" (\"Seq\" INTEGER PRIMARY KEY AUTOINCREMENT, \"Entity\" INTEGER NOT NULL, \"RowId\" INTEGER NOT NULL);");
            foreach (var (table, entity) in Tracked)
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_Inserted\" AFTER INSERT ON \"{table}\" BEGIN INSERT INTO \"ChangeLog\" (\"Entity\", \"RowId\") VALUES ({entity}, NEW.\"Id\"); END;");
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_Updated\" AFTER UPDATE ON \"{table}\" BEGIN INSERT INTO \"ChangeLog\" (\"Entity\", \"RowId\") VALUES ({entity}, NEW.\"Id\"); END;");
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_Deleted\" AFTER DELETE ON \"{table}\" BEGIN INSERT INTO \"ChangeLog\" (\"Entity\", \"RowId\") VALUES ({entity}, OLD.\"Id\"); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Tracked)
                foreach (var verb in new[] { "Inserted", "Updated", "Deleted" })
                    migrationBuilder.Sql($"DROP TRIGGER \"{table}_{verb}\";");
            migrationBuilder.Sql("DROP TABLE \"ChangeLog\";");
        }
    }
}
