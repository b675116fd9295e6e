namespace GovernanceDashboard.Importers;

/// <summary>A CSV file read as a header plus rows addressed by column name; header problems reject the file.</summary>
internal sealed class CsvTable
{
    private readonly CsvReader _reader;
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    private CsvTable(CsvReader reader)
    {
        _reader = reader;
    }

    /// <summary>Reads the header row; throws when the file is empty, not text, or lacks a required column.</summary>
    public static CsvTable Open(Stream stream, string format, IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        var table = new CsvTable(new CsvReader(stream));
        List<string> header;
        while (true)
        {
            if (!table._reader.TryRead(out header, out var error))
            {
                throw new ImportRejectedException(format, $"The file is empty; expected {ImportFormats.Describe(format)}.", 1, 0);
            }
            if (error is not null)
            {
                throw new ImportRejectedException(format,
                    $"The header (line {table._reader.RecordLine}, byte {table._reader.RecordOffset}) is not readable text ({error}); expected {ImportFormats.Describe(format)}.",
                    table._reader.RecordLine, table._reader.RecordOffset);
            }
            if (!IsBlank(header)) break;
        }

        for (var i = 0; i < header.Count; i++)
        {
            var name = Normalize(header[i]);
            if (name.Length > 0) table._columns.TryAdd(name, i);
        }

        var missing = required.Where(c => !table._columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var known = string.Join(",", required.Concat(optional.Select(o => "[" + o + "]")));
            throw new ImportRejectedException(format,
                $"The header on line {table._reader.RecordLine} is missing the column(s) {string.Join(", ", missing)}; expected {ImportFormats.Describe(format)} (columns {known}).",
                table._reader.RecordLine, table._reader.RecordOffset);
        }
        return table;
    }

    /// <summary>The data rows as records: a row that cannot be read, or that stops before the last required column, is
    /// rejected alone; every other row is mapped.</summary>
    public IEnumerable<ParsedItem> Records(IReadOnlyList<string> required, Func<Row, int, ParsedItem> map)
    {
        var requiredFields = LastRequiredIndex(required) + 1;
        while (TryReadRow(out var row, out var line, out var reason))
        {
            if (reason is not null) yield return new RejectedRecord(line, reason);
            else if (row.FieldCount < requiredFields) yield return new RejectedRecord(line, $"{row.FieldCount} fields where {requiredFields} are needed");
            else yield return map(row, line);
        }
    }

    /// <summary>Next non-blank row; reason is set when the row could not be read.</summary>
    private bool TryReadRow(out Row row, out int line, out string? reason)
    {
        while (_reader.TryRead(out var fields, out var error))
        {
            line = _reader.RecordLine;
            if (error is null && IsBlank(fields)) continue;
            row = new Row(this, fields);
            reason = error;
            return true;
        }
        row = default;
        line = 0;
        reason = null;
        return false;
    }

    /// <summary>Whether the header names this column (an optional column may be absent altogether, which is not the same as empty).</summary>
    public bool HasColumn(string column) => _columns.ContainsKey(column);

    private int LastRequiredIndex(IEnumerable<string> columns) => columns.Max(c => _columns[c]);

    private static bool IsBlank(List<string> fields) => fields.All(string.IsNullOrWhiteSpace);

    // "Display Name", "display-name" and "\uFEFFemail" (a BOM the reader did not see) all name the same column.
    private static string Normalize(string name) =>
        name.Trim().TrimStart('\uFEFF').Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    /// <summary>One data row.</summary>
    public readonly struct Row(CsvTable table, List<string> fields)
    {
        public int FieldCount => fields.Count;

        /// <summary>The trimmed value of a column, or null when it is empty or the row is short.</summary>
        public string? this[string column]
        {
            get
            {
                if (!table._columns.TryGetValue(column, out var index) || index >= fields.Count) return null;
                var value = fields[index].Trim();
                return value.Length == 0 ? null : value;
            }
        }
    }
}
