using CsvHelper;

namespace GovernanceDashboard.Reporting;

/// <summary>RFC 4180 CSV for every exported list (CsvHelper writes it), safe to open in a spreadsheet: a cell that starts with
/// = + - @ (or a tab or carriage return) is prefixed with an apostrophe, so it is shown as text and never run as a formula.</summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    // RFC 4180: CRLF rows, quotes only where needed. Cells arrive as text already formatted (see Cell), so formulas are
    // neutralised here rather than by CsvHelper's injection option, which would also prefix a negative number.
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default;

    /// <summary>Streams a header and rows to <paramref name="output"/> as UTF-8, flushing as the buffer fills: an export of any
    /// size never sits in memory whole.</summary>
    public static async Task WriteAsync(Stream output, IEnumerable<string> header, IAsyncEnumerable<IEnumerable<object?>> rows, CancellationToken ct = default)
    {
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        foreach (var name in header) csv.WriteField(Neutralise(name));
        await csv.EndRecordAsync(ct);
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var cell in row) csv.WriteField(Neutralise(Cell(cell)));
            await csv.EndRecordAsync(ct);
        }
        await csv.FlushAsync(ct);
    }

    /// <summary>A header and rows as one string (for small lists).</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            foreach (var name in header) csv.WriteField(Neutralise(name));
            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row) csv.WriteField(Neutralise(Cell(cell)));
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    public static byte[] Utf8(string csv) => Encoding.UTF8.GetBytes(csv);

    /// <summary>One cell as it is written: formula neutralised, then quoted when it holds a comma, quote or line break.</summary>
    public static string Escape(string cell)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = CsvWriter.Create(text, Options, leaveOpen: true);
        csv.WriteField(Neutralise(cell));
        csv.Flush();
        return text.ToString();
    }

    public static string Cell(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Neutralise(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(cell) ? "'" + cell : cell;

    // A negative number is data, not a formula.
    private static bool IsPlainNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && cell[0] is '-' or '+';
}
