using GovernanceDashboard.Ingestion;
using Microsoft.Data.Sqlite;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>The import's statements on SQLite's own handle (SQLitePCLRaw): what they store and read back is what
/// Microsoft.Data.Sqlite stores and reads, a failed execution raises SQLite's error and leaves the statement usable, and
/// a rollback takes their rows back with the rest of the transaction. On a real SQLite file.</summary>
public sealed class RowStatementTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gd-rowstatement-").FullName;

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "store.db")};Pooling=False");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE TABLE IF NOT EXISTS "T" ("Id" INTEGER PRIMARY KEY AUTOINCREMENT, "Key" TEXT NOT NULL UNIQUE, "Note" TEXT NULL,
                "Number" INTEGER NULL, "Flag" INTEGER NOT NULL, "Bytes" BLOB NULL);
            """;
        create.ExecuteNonQuery();
        return connection;
    }

    private static RowStatement Insert(SqliteConnection connection, SqliteTransaction tx) => RowStatement.Prepare(connection, tx, """
        INSERT INTO "T" ("Key", "Note", "Number", "Flag", "Bytes") VALUES (@key, @note, @number, @flag, @bytes)
        ON CONFLICT ("Key") DO NOTHING RETURNING "Id", "Note"
        """, "key", "note", "number", "flag", "bytes");

    [Fact]
    public void Values_are_stored_and_returned_as_Microsoft_Data_Sqlite_reads_them()
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using (var insert = Insert(connection, tx))
        {
            insert["@key"] = "ké-1 ✓ 𝄞";
            insert["@note"] = "Grüße";
            insert["@number"] = 1_733_000_000_123L;
            insert["@flag"] = true;
            insert["@bytes"] = new byte[] { 0, 1, 255 };
            using (var row = insert.ExecuteReader())
            {
                Assert.True(row.Read());
                Assert.Equal(1, row.GetInt32(0));
                Assert.Equal("Grüße", row.GetString(1));
                Assert.False(row.IsDBNull(1));
            }

            insert["@key"] = "k2";
            insert["@note"] = DBNull.Value;
            insert["@number"] = null;
            insert["@flag"] = false;
            insert["@bytes"] = null;
            Assert.Equal(2, insert.ExecuteScalar());
            // ON CONFLICT DO NOTHING returns no row.
            Assert.Null(insert.ExecuteScalar());
        }
        tx.Commit();

        using var read = connection.CreateCommand();
        read.CommandText = """SELECT "Key", "Note", "Number", "Flag", "Bytes", typeof("Key") FROM "T" ORDER BY "Id" """;
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("ké-1 ✓ 𝄞", reader.GetString(0));
        Assert.Equal("Grüße", reader.GetString(1));
        Assert.Equal(1_733_000_000_123L, reader.GetInt64(2));
        Assert.Equal(1L, reader.GetInt64(3));
        Assert.Equal(new byte[] { 0, 1, 255 }, (byte[])reader.GetValue(4));
        Assert.Equal("text", reader.GetString(5));
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(1));
        Assert.True(reader.IsDBNull(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.True(reader.IsDBNull(4));
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_failed_execution_raises_SQLites_error_and_the_statement_runs_again()
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using var insert = RowStatement.Prepare(connection, tx, """INSERT INTO "T" ("Key", "Flag") VALUES (@key, @flag)""", "key", "flag");
        insert["@key"] = null;
        insert["@flag"] = 1;

        var error = Assert.Throws<SqliteException>(insert.ExecuteNonQuery);

        Assert.Equal(SQLitePCL.raw.SQLITE_CONSTRAINT, error.SqliteErrorCode);
        insert["@key"] = "after";
        insert.ExecuteNonQuery();
        tx.Commit();
        Assert.Equal(1L, Count(connection));
    }

    [Fact]
    public void A_rollback_takes_back_what_the_statements_wrote()
    {
        using var connection = Open();
        using (var tx = connection.BeginTransaction())
        {
            using var insert = Insert(connection, tx);
            for (var i = 0; i < 100; i++)
            {
                insert["@key"] = $"k{i}";
                insert["@note"] = null;
                insert["@number"] = i;
                insert["@flag"] = false;
                insert["@bytes"] = null;
                Assert.NotNull(insert.ExecuteScalar());
            }
            tx.Rollback();
        }

        Assert.Equal(0L, Count(connection));
    }

    [Fact]
    public void A_parameter_the_statement_does_not_have_is_refused_when_prepared()
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();

        Assert.Throws<ArgumentException>(() => RowStatement.Prepare(connection, tx, """SELECT "Id" FROM "T" WHERE "Key" = @key""", "key", "typo"));
    }

    private static long Count(SqliteConnection connection)
    {
        using var count = connection.CreateCommand();
        count.CommandText = """SELECT count(*) FROM "T" """;
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
