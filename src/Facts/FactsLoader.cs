using System.Data.Common;

namespace GovernanceDashboard.Facts;

/// <summary>Reads rows into <see cref="FactTables"/>: all of them, or those the change log names after a sequence number.</summary>
/// <remarks>Synchronous on purpose: the changed rows are applied under a write lock, which cannot span an await
/// (Microsoft.Data.Sqlite's async calls run synchronously anyway).</remarks>
internal static class FactsLoader
{
    // Identifiers quoted: PostgreSQL folds unquoted names to lower case, and EF Core created them in Pascal case.
    private static readonly (ChangeEntity Entity, string Sql, Action<DbDataReader, FactTables> Apply)[] Entities =
    [
        (ChangeEntity.Person, Select("People", "Id", "Email", "Team", "Active"), ApplyPerson),
        (ChangeEntity.Token, Select("Tokens", "Id", "Platform", "Kind", "WriteCapability", "Identified", "OwnerId", "SuggestedOwnerId",
            "FirstSeenAt", "LastSeenAt", "RevokedAt", "ExpiresAt", "Mask", "Account", "Organizations", "BlastRadius"), ApplyToken),
        (ChangeEntity.Exposure, Select("Exposures", "Id", "TokenId", "Severity", "State", "DetectedAt", "RemediatedAt", "DismissedAt"), ApplyExposure),
        (ChangeEntity.Grant, Select("WriteScopeGrants", "Id", "TokenId", "ApprovedAt", "ExpiresAt", "WithdrawnAt"), ApplyGrant),
        (ChangeEntity.Campaign, Select("AttestationCampaigns", "Id", "OpenedAt", "Deadline"), ApplyCampaign),
        (ChangeEntity.Task, Select("AttestationTasks", "Id", "CampaignId", "TokenId", "Answer", "AnsweredAt"), ApplyTask),
        (ChangeEntity.Occurrence, Select("Occurrences", "Id", "TokenId", "Repository"), ApplyOccurrence),
    ];

    /// <summary>Which change log entries are new: after a sequence number on SQLite, from a transaction id on PostgreSQL
    /// (see <see cref="ChangeLogSchema"/>).</summary>
    public const string SqliteNewEntries = "\"Seq\" > @seq";
    public const string PostgresNewEntries = "\"Xid\" >= @seq";

    private static string Select(string table, params string[] columns) =>
        $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{ChangeLog.Tracked.Single(t => t.Table == table).Table}\"";

    /// <summary>Every row of every entity.</summary>
    public static void LoadAll(DbConnection connection, DbTransaction? tx, FactTables tables)
    {
        foreach (var (_, sql, apply) in Entities) Read(connection, tx, sql, null, reader => apply(reader, tables));
    }

    /// <summary>The rows of the entries <paramref name="newEntries"/> selects (with <paramref name="after"/> as @seq): each
    /// named row is first marked absent (it may have been deleted), then read again if it still exists. Reading an entry
    /// twice is harmless: the row is read as it is now.</summary>
    public static void LoadChanged(DbConnection connection, DbTransaction? tx, FactTables tables, long after, string newEntries = SqliteNewEntries)
    {
        Read(connection, tx, $"SELECT DISTINCT \"Entity\", \"RowId\" FROM \"ChangeLog\" WHERE {newEntries}", after, reader =>
        {
            var columns = Of(tables, (ChangeEntity)reader.GetInt32(0));
            var id = checked((int)reader.GetInt64(1));
            if (id <= columns.MaxId) columns.Present[id] = false;
        });
        foreach (var (entity, sql, apply) in Entities)
            Read(connection, tx, $"{sql} WHERE \"Id\" IN (SELECT \"RowId\" FROM \"ChangeLog\" WHERE {newEntries} AND \"Entity\" = {(int)entity})", after,
                reader => apply(reader, tables));
    }

    private static Columns Of(FactTables tables, ChangeEntity entity) => entity switch
    {
        ChangeEntity.Token => tables.Tokens,
        ChangeEntity.Exposure => tables.Exposures,
        ChangeEntity.Grant => tables.Grants,
        ChangeEntity.Person => tables.People,
        ChangeEntity.Task => tables.Tasks,
        ChangeEntity.Campaign => tables.Campaigns,
        ChangeEntity.Occurrence => tables.Occurrences,
        _ => throw new InvalidOperationException($"Unknown change log entity {entity}"),
    };

    private static void Read(DbConnection connection, DbTransaction? tx, string sql, long? seq, Action<DbDataReader> row)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        if (seq is { } s)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@seq";
            parameter.Value = s;
            command.Parameters.Add(parameter);
        }
        using var reader = command.ExecuteReader();
        while (reader.Read()) row(reader);
    }

    private static void ApplyPerson(DbDataReader r, FactTables t)
    {
        var c = t.People;
        var id = c.Add(r.GetInt32(0));
        c.Email[id] = r.GetString(1);
        c.Team[id] = r.IsDBNull(2) || r.GetString(2).Length == 0 ? -1 : t.Teams.Intern(r.GetString(2));
        c.Active[id] = r.GetBoolean(3);
    }

    private static void ApplyToken(DbDataReader r, FactTables t)
    {
        var c = t.Tokens;
        var id = c.Add(r.GetInt32(0));
        c.Platform[id] = (byte)Enum.Parse<TokenPlatform>(r.GetString(1));
        c.Kind[id] = (byte)Enum.Parse<TokenKind>(r.GetString(2));
        c.Write[id] = (byte)Enum.Parse<WriteCapability>(r.GetString(3));
        c.Identified[id] = r.GetBoolean(4);
        c.Owner[id] = r.IsDBNull(5) ? 0 : r.GetInt32(5);
        c.Suggested[id] = r.IsDBNull(6) ? 0 : r.GetInt32(6);
        c.FirstSeen[id] = r.GetInt64(7);
        c.LastSeen[id] = r.GetInt64(8);
        c.Revoked[id] = Instant(r, 9);
        c.Expires[id] = Instant(r, 10);
        c.Mask[id] = t.Masks.Intern(r.GetString(11));
        c.Account[id] = t.Accounts.Intern(r.IsDBNull(12) ? null : r.GetString(12));
        c.Organizations[id] = t.Organizations.Intern(r.IsDBNull(13) ? null : r.GetString(13));
        c.BlastRadius[id] = (float)r.GetDouble(14);
    }

    private static void ApplyExposure(DbDataReader r, FactTables t)
    {
        var c = t.Exposures;
        var id = c.Add(r.GetInt32(0));
        c.Token[id] = r.GetInt32(1);
        c.Severity[id] = (byte)Enum.Parse<Severity>(r.GetString(2));
        c.State[id] = (byte)Enum.Parse<ExposureState>(r.GetString(3));
        c.Detected[id] = r.GetInt64(4);
        c.Remediated[id] = Instant(r, 5);
        c.Dismissed[id] = Instant(r, 6);
    }

    private static void ApplyGrant(DbDataReader r, FactTables t)
    {
        var c = t.Grants;
        var id = c.Add(r.GetInt32(0));
        c.Token[id] = r.GetInt32(1);
        c.Approved[id] = r.GetInt64(2);
        c.Expires[id] = r.GetInt64(3);
        c.Withdrawn[id] = Instant(r, 4);
    }

    private static void ApplyCampaign(DbDataReader r, FactTables t)
    {
        var c = t.Campaigns;
        var id = c.Add(r.GetInt32(0));
        c.Opened[id] = r.GetInt64(1);
        c.Deadline[id] = r.GetInt64(2);
    }

    private static void ApplyTask(DbDataReader r, FactTables t)
    {
        var c = t.Tasks;
        var id = c.Add(r.GetInt32(0));
        c.Campaign[id] = r.GetInt32(1);
        c.Token[id] = r.GetInt32(2);
        c.Answered[id] = Enum.Parse<AttestationAnswer>(r.GetString(3)) != AttestationAnswer.None;
        c.AnsweredAt[id] = Instant(r, 4);
    }

    private static void ApplyOccurrence(DbDataReader r, FactTables t)
    {
        var c = t.Occurrences;
        var id = c.Add(checked((int)r.GetInt64(0)));
        c.Token[id] = r.GetInt32(1);
        c.Repository[id] = t.Repositories.Intern(r.IsDBNull(2) ? null : r.GetString(2));
    }

    private static long Instant(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? FactTables.Never : r.GetInt64(ordinal);
}
