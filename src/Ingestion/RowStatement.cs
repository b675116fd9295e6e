using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GovernanceDashboard.Ingestion;

/// <summary>One prepared statement of the import's write path, run once per record: parameters set by name, the row it
/// returns (RETURNING, SELECT) read by position.</summary>
/// <remarks>
/// On SQLite the statement is prepared once on the connection's own handle through SQLitePCLRaw (the layer Microsoft.Data.Sqlite
/// is built on), each parameter's position looked up once. Measured with dotnet-trace on 100,000 TruffleHog records:
/// Microsoft.Data.Sqlite's work around each execution (a data reader per statement, every parameter's position looked up
/// by name again, each text converted to UTF-8 in a new array) was a quarter of the import thread, about as much as
/// SQLite's own work. The statements still run on the connection and inside the transaction EF Core opened. On
/// PostgreSQL (and anything else) it is an ordinary prepared <see cref="DbCommand"/>.
/// </remarks>
internal abstract class RowStatement : IDisposable
{
    public static RowStatement Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters) =>
        connection is SqliteConnection sqlite
            ? new SqliteRowStatement(sqlite, sql, parameters)
            : new CommandRowStatement(connection, transaction, sql, parameters);

    /// <summary>A parameter's value for the next execution (null or <see cref="DBNull"/>: SQL NULL).</summary>
    public abstract object? this[string name] { set; }

    /// <summary>Runs the statement; the returned row is read through the <see cref="Row"/> until it is disposed.</summary>
    public Row ExecuteReader()
    {
        Start();
        return new Row(this);
    }

    /// <summary>Runs the statement; the first column of its row, or null when it returned none.</summary>
    public long? ExecuteScalar()
    {
        using var row = ExecuteReader();
        return row.Read() ? row.GetInt64(0) : null;
    }

    /// <summary>Runs a statement that returns no row.</summary>
    public void ExecuteNonQuery()
    {
        using var row = ExecuteReader();
        while (row.Read())
        {
        }
    }

    protected abstract void Start();
    protected abstract bool ReadRow();
    protected abstract long Int64(int column);
    protected abstract string Text(int column);
    protected abstract bool Flag(int column);
    protected abstract bool IsNull(int column);
    protected abstract void Finish();
    public abstract void Dispose();

    /// <summary>The row of one execution; disposing it readies the statement for the next.</summary>
    public readonly struct Row(RowStatement statement) : IDisposable
    {
        public bool Read() => statement.ReadRow();
        public long GetInt64(int column) => statement.Int64(column);
        public int GetInt32(int column) => checked((int)statement.Int64(column));
        public bool GetBoolean(int column) => statement.Flag(column);
        public string GetString(int column) => statement.Text(column);
        public bool IsDBNull(int column) => statement.IsNull(column);
        public void Dispose() => statement.Finish();
    }

    private sealed class SqliteRowStatement : RowStatement
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
        private byte[] _utf8 = new byte[1024];

        public SqliteRowStatement(SqliteConnection connection, string sql, string[] parameters)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
            Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out var tail));
            try
            {
                if (!string.IsNullOrWhiteSpace(tail)) throw new ArgumentException("One statement only.", nameof(sql));
                foreach (var name in parameters)
                {
                    var position = raw.sqlite3_bind_parameter_index(_statement, "@" + name);
                    if (position == 0) throw new ArgumentException($"The statement has no parameter @{name}.", nameof(parameters));
                    _positions["@" + name] = position;
                }
            }
            catch
            {
                _statement.Dispose();
                throw;
            }
        }

        public override object? this[string name]
        {
            set
            {
                var position = _positions[name];
                Check(value switch
                {
                    null or DBNull => raw.sqlite3_bind_null(_statement, position),
                    string text => BindText(position, text),
                    long number => raw.sqlite3_bind_int64(_statement, position, number),
                    int number => raw.sqlite3_bind_int64(_statement, position, number),
                    bool flag => raw.sqlite3_bind_int(_statement, position, flag ? 1 : 0),
                    byte[] bytes => raw.sqlite3_bind_blob(_statement, position, bytes),
                    _ => throw new ArgumentException($"No SQLite binding for {value.GetType().Name}.", nameof(value)),
                });
            }
        }

        // Text is encoded into one reused buffer and bound as UTF-8, the database's encoding (SQLite copies it): no managed
        // array per value, and no conversion inside SQLite (binding UTF-16 made SQLite copy and convert every value).
        private int BindText(int position, string text)
        {
            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_utf8.Length < max) _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
            var length = Encoding.UTF8.GetBytes(text, _utf8);
            return raw.sqlite3_bind_text(_statement, position, _utf8.AsSpan(0, length));
        }

        protected override void Start()
        {
        }

        protected override bool ReadRow()
        {
            var code = raw.sqlite3_step(_statement);
            if (code == raw.SQLITE_ROW) return true;
            if (code == raw.SQLITE_DONE) return false;
            SqliteException.ThrowExceptionForRC(code, _db);
            return false;
        }

        protected override long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

        protected override string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

        protected override bool Flag(int column) => raw.sqlite3_column_int64(_statement, column) != 0;

        protected override bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

        // Values stay bound (each execution sets every parameter); reset releases the statement's read of the tables.
        protected override void Finish() => raw.sqlite3_reset(_statement);

        public override void Dispose() => _statement.Dispose();

        private void Check(int code)
        {
            if (code != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(code, _db);
        }
    }

    private sealed class CommandRowStatement : RowStatement
    {
        private readonly DbCommand _command;
        private DbDataReader? _reader;

        public CommandRowStatement(DbConnection connection, DbTransaction transaction, string sql, string[] parameters)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = sql;
            foreach (var name in parameters)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = DBNull.Value;
                _command.Parameters.Add(parameter);
            }
            _command.Prepare();
        }

        public override object? this[string name] { set => _command.Parameters[name].Value = value ?? DBNull.Value; }

        protected override void Start() => _reader = _command.ExecuteReader();

        protected override bool ReadRow() => _reader!.Read();

        // Ids are 32-bit integers on PostgreSQL: read whatever integer type the column has.
        protected override long Int64(int column) => Convert.ToInt64(_reader!.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

        protected override string Text(int column) => _reader!.GetString(column);

        protected override bool Flag(int column) => _reader!.GetBoolean(column);

        protected override bool IsNull(int column) => _reader!.IsDBNull(column);

        protected override void Finish()
        {
            _reader?.Dispose();
            _reader = null;
        }

        public override void Dispose()
        {
            Finish();
            _command.Dispose();
        }
    }
}
