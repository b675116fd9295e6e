using System.Data.Common;

namespace GovernanceDashboard.Facts;

/// <summary>What the ChangeLog table's Entity column numbers (the ChangeLog migration's triggers write them).</summary>
internal enum ChangeEntity { Token = 1, Exposure = 2, Grant = 3, Person = 4, Task = 5, Campaign = 6, Occurrence = 7 }

/// <summary>The trigger-written log of changed rows (migration ChangeLog): its range, and pruning of what was read.</summary>
internal static class ChangeLog
{
    /// <summary>The last sequence number ever given (0 when none) and the oldest still kept (null when the log is empty).</summary>
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

    /// <summary>Deletes entries up to <paramref name="throughSeq"/>; a reader that had not read them reloads everything.</summary>
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
