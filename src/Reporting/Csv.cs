using System.Globalization;
using System.Text;

namespace GovernanceDashboard.Reporting;

/// <summary>RFC 4180 CSV for every exported list, safe to open in a spreadsheet: a cell that starts with = + - @ (or a
/// tab or carriage return) is prefixed with an apostrophe, so it is shown as text and never run as a formula.</summary>
public static class Csv
{
    /// <summary>Writes a header and rows; each row is its cells in order.</summary>
    public static string Write(IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var text = new StringBuilder();
        AppendRow(text, header);
        foreach (var row in rows) AppendRow(text, row.Select(Cell));
        return text.ToString();
    }

    public static byte[] Utf8(string csv) => Encoding.UTF8.GetBytes(csv);

    private static void AppendRow(StringBuilder text, IEnumerable<string> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) text.Append(',');
            first = false;
            text.Append(Escape(cell));
        }
        text.Append("\r\n");
    }

    public static string Cell(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Neutralises formulas, then quotes when the cell holds a comma, quote or line break.</summary>
    public static string Escape(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(cell)) cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }

    // A negative number is data, not a formula.
    private static bool IsPlainNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && cell[0] is '-' or '+';
}
