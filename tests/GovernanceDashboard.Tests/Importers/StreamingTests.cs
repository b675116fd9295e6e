using System.Text;
using GovernanceDashboard.Importers;
using Xunit;

namespace GovernanceDashboard.Tests.Importers;

public class StreamingTests
{
    private const long Limit = 4 * 1024 * 1024;

    [Fact]
    public void Jsonl_is_parsed_lazily_from_an_endless_stream()
    {
        using var stream = new EndlessStream([], i => Encoding.UTF8.GetBytes(TruffleHogParserTests.Line($"hf_{i:D34}") + "\n"), Limit);

        var first = Parsers.Parse("trufflehog", stream).Take(3).Cast<Finding>().ToList();

        Assert.Equal([1, 2, 3], first.Select(f => f.Line));
        Assert.Equal("hf_0000000000000000000000000000000002", first[2].Secret);
    }

    [Fact]
    public void Gitleaks_array_is_parsed_element_by_element_from_an_endless_stream()
    {
        using var stream = new EndlessStream("[\n"u8.ToArray(), i => Encoding.UTF8.GetBytes(GitleaksElement(i) + ",\n"), Limit);

        var first = Parsers.Parse("auto", stream).Take(5).Cast<Finding>().ToList();

        Assert.Equal([2, 3, 4, 5, 6], first.Select(f => f.Line));
    }

    [Fact]
    public void Sarif_results_are_parsed_one_by_one_from_an_endless_stream()
    {
        var prefix = """{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gitleaks"}},"results":[""" + "\n";
        using var stream = new EndlessStream(Encoding.UTF8.GetBytes(prefix), i =>
            Encoding.UTF8.GetBytes("""{"ruleId":"github-pat","locations":[{"physicalLocation":{"artifactLocation":{"uri":"f"},"region":{"startLine":""" + (i + 1) + "}}}]},\n"), Limit);

        var first = Parsers.Parse("sarif", stream).Take(4).Cast<Finding>().ToList();

        Assert.Equal([2, 3, 4, 5], first.Select(f => f.Line));
        Assert.Equal([1, 2, 3, 4], first.Select(f => f.LineNumber!.Value));
    }

    [Fact]
    public void Large_array_across_many_buffer_refills_is_read_completely_and_in_order()
    {
        const int count = 30_000;
        var text = new StringBuilder("[\n");
        for (var i = 0; i < count; i++) text.Append(GitleaksElement(i)).Append(i + 1 < count ? ",\n" : "\n");
        text.Append(']');
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text.ToString()), maxChunk: 9000);

        var findings = Parsers.Parse("gitleaks", stream).Cast<Finding>().ToList();

        Assert.Equal(count, findings.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"ghp_{i:D36}"), findings.Select(f => f.Secret));
        Assert.Equal(count + 1, findings[^1].Line);
    }

    private static string GitleaksElement(long i) =>
        $$"""{"RuleID":"github-pat","Secret":"ghp_{{i:D36}}","File":"src/file{{i}}.py","StartLine":{{i % 500 + 1}},"Commit":"{{new string('c', 40)}}","Message":"{{new string('m', (int)(i % 300))}}"}""";
}
