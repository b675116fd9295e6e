using GovernanceDashboard.Reporting;

namespace GovernanceDashboard.Tests.Reporting;

/// <summary>Exports are written as their rows are read: the first bytes reach the response long before the last row exists.</summary>
public class CsvStreamingTests
{
    [Fact]
    public async Task Rows_reach_the_stream_while_later_rows_are_still_being_read_and_match_the_one_writer()
    {
        using var output = new MemoryStream();
        long writtenAtHalf = -1;
        const int rows = 100_000;

        async IAsyncEnumerable<IEnumerable<object?>> Rows()
        {
            for (var i = 0; i < rows; i++)
            {
                if (i == rows / 2) writtenAtHalf = output.Length;
                yield return [i, "=cmd", -1.5, "a,b"];
                if (i % 10_000 == 0) await Task.Yield();
            }
        }

        await Csv.WriteAsync(output, ["id", "formula", "number", "text"], Rows());

        Assert.True(writtenAtHalf > 0, "nothing was written before the last row was read");
        Assert.True(writtenAtHalf < output.Length);
        var text = System.Text.Encoding.UTF8.GetString(output.ToArray());
        Assert.StartsWith("id,formula,number,text\r\n0,'=cmd,-1.5,\"a,b\"\r\n1,", text, StringComparison.Ordinal);
        Assert.Equal(Csv.Write(["id", "formula", "number", "text"], Enumerable.Range(0, rows).Select(i => new object?[] { i, "=cmd", -1.5, "a,b" })), text);
    }
}
