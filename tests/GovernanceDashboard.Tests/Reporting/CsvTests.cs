using GovernanceDashboard.Reporting;

namespace GovernanceDashboard.Tests.Reporting;

public class CsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Cells_are_quoted_per_RFC_4180_and_formulas_neutralised(string cell, string expected) =>
        Assert.Equal(expected, Csv.Escape(cell));

    [Fact]
    public void Rows_end_with_CRLF_and_values_are_invariant()
    {
        var csv = Csv.Write(["a", "b", "c"], [[1.5, new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(2)), null]]);
        Assert.Equal("a,b,c\r\n1.5,2026-11-28T08:00:00Z,\r\n", csv);
    }
}
