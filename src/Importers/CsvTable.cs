using System.Text.Unicode;
using CsvHelper;

namespace GovernanceDashboard.Importers;

/// <summary>A CSV file read by CsvHelper (RFC 4180: quoted fields with "" escapes and line breaks, LF or CRLF, a byte
/// order mark) as a header plus rows addressed by column name. A header problem rejects the file; a row that is not
/// UTF-8 text, holds a NUL byte, is longer than 1 MiB or leaves a quote open is rejected alone, with its line.</summary>
internal sealed class CsvTable : IDisposable
{
    /// <summary>docs/imports.md: a record over 1 MiB is rejected alone.</summary>
    internal const int MaxRecordBytes = 1024 * 1024;

    // CsvHelper grows its buffer to hold a whole record; past this it stops and the file is rejected, so one unclosed
    // quote at the start of a large file cannot make the whole file one record held in memory.
    private const int MaxBufferedRecordBytes = 16 * MaxRecordBytes;

    private readonly CsvReader _reader;
    private readonly string _format;
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    // Lines on which a record with an unclosed quote starts: CsvHelper reports them (it reads such a field to the end of
    // the file) while scanning, possibly before the record itself is read.
    private readonly HashSet<long> _unterminated = [];

    private CsvTable(Stream stream, string format)
    {
        _format = format;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = false, // the header is the first non-blank record, checked below
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MaxRecordSize = MaxBufferedRecordBytes,
            // Other quoting faults keep CsvHelper's recovery, as a spreadsheet reads them: ab"c is ab"c, "ab"c is abc.
            OnMalformedRecord = record =>
            {
                if (record.Reason == CsvMalformedReason.UnterminatedQuote) _unterminated.Add(record.LineNumber);
            },
        };
        _reader = CsvReader.Create(stream, options, leaveOpen: true);
    }

    /// <summary>Reads the header row; throws when the file is empty, not text, or lacks a required column.</summary>
    public static CsvTable Open(Stream stream, string format, IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        var table = new CsvTable(stream, format);
        try
        {
            table.ReadHeader(required, optional);
            return table;
        }
        catch
        {
            table.Dispose();
            throw;
        }
    }

    private void ReadHeader(IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        if (!TryReadRecord(out var header, out var line, out var offset, out var problem))
        {
            throw new ImportRejectedException(_format, $"The file is empty; expected {ImportFormats.Describe(_format)}.", 1, 0);
        }
        if (problem is not null)
        {
            throw new ImportRejectedException(_format,
                $"The header (line {line}, byte {offset}) is not readable text ({problem}); expected {ImportFormats.Describe(_format)}.",
                line, offset);
        }

        for (var i = 0; i < header.Length; i++)
        {
            var name = Normalize(header[i]);
            if (name.Length > 0) _columns.TryAdd(name, i);
        }

        var missing = required.Where(c => !_columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            var known = string.Join(",", required.Concat(optional.Select(o => "[" + o + "]")));
            throw new ImportRejectedException(_format,
                $"The header on line {line} is missing the column(s) {string.Join(", ", missing)}; expected {ImportFormats.Describe(_format)} (columns {known}).",
                line, offset);
        }
    }

    /// <summary>The data rows as records: a row that cannot be read, or that stops before the last required column, is
    /// rejected alone; every other row is mapped.</summary>
    public IEnumerable<ParsedItem> Records(IReadOnlyList<string> required, Func<Row, int, ParsedItem> map)
    {
        var requiredFields = required.Max(c => _columns[c]) + 1;
        while (TryReadRecord(out var fields, out var line, out _, out var problem))
        {
            if (problem is not null) yield return new RejectedRecord(line, problem);
            else if (fields.Length < requiredFields) yield return new RejectedRecord(line, $"{fields.Length} fields where {requiredFields} are needed");
            else yield return map(new Row(this, fields), line);
        }
    }

    /// <summary>Whether the header names this column (an optional column may be absent altogether, which is not the same as empty).</summary>
    public bool HasColumn(string column) => _columns.ContainsKey(column);

    public void Dispose() => _reader.Dispose();

    /// <summary>Next record that is not blank; problem is set (and fields empty) when it is not readable.</summary>
    private bool TryReadRecord(out string[] fields, out int line, out long offset, out string? problem)
    {
        while (Read())
        {
            line = (int)Math.Min(_reader.LineNumber, int.MaxValue);
            offset = _reader.ByteOffset;
            problem = Problem();
            fields = problem is null ? Fields() : [];
            if (problem is null && fields.All(string.IsNullOrWhiteSpace)) continue;
            return true;
        }
        fields = [];
        line = 0;
        offset = 0;
        problem = null;
        return false;
    }

    private bool Read()
    {
        try
        {
            return _reader.Read();
        }
        catch (CsvFormatException ex)
        {
            throw new ImportRejectedException(_format,
                $"The record on line {ex.LineNumber} is longer than {MaxBufferedRecordBytes / MaxRecordBytes} MiB (an unclosed quote?); expected {ImportFormats.Describe(_format)}.",
                (int)Math.Min(ex.LineNumber, int.MaxValue), ex.ByteOffset);
        }
    }

    // What only the bytes can tell; CsvHelper passes them through as they are.
    private string? Problem()
    {
        if (_reader.RawRecord.Length > MaxRecordBytes) return $"record longer than {MaxRecordBytes / (1024 * 1024)} MiB";
        if (_unterminated.Remove(_reader.LineNumber)) return "unterminated quoted field";
        for (var i = 0; i < _reader.FieldCount; i++)
        {
            var value = _reader.GetSpan(i);
            if (!Utf8.IsValid(value)) return "invalid UTF-8";
            if (value.Contains((byte)0)) return "contains a NUL byte (binary data)";
        }
        return null;
    }

    private string[] Fields()
    {
        var fields = new string[_reader.FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = Encoding.UTF8.GetString(_reader.GetSpan(i));
        return fields;
    }

    // "Display Name", "display-name" and "\uFEFFemail" (a second byte order mark) all name the same column.
    private static string Normalize(string name) =>
        name.Trim().TrimStart('\uFEFF').Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');

    /// <summary>One data row.</summary>
    public readonly struct Row(CsvTable table, string[] fields)
    {
        /// <summary>The trimmed value of a column, or null when it is empty or the row is short.</summary>
        public string? this[string column]
        {
            get
            {
                if (!table._columns.TryGetValue(column, out var index) || index >= fields.Length) return null;
                var value = fields[index].Trim();
                return value.Length == 0 ? null : value;
            }
        }
    }
}
