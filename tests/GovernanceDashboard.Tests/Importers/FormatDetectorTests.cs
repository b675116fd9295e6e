using System.Text;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class FormatDetectorTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "samples/trufflehog.jsonl", "trufflehog" },
        { "samples/gitleaks.json", "gitleaks" },
        { "samples/github-alerts.json", "github-alerts" },
        { "samples/gitleaks.sarif", "sarif" },
        { "samples/people.csv", "people-csv" },
        { "samples/owners.csv", "owners-csv" },
        { "real/trufflehog-v3-git.jsonl", "trufflehog" },
        { "real/trufflehog-v3-github.jsonl", "trufflehog" },
        { "real/gitleaks8-many.json", "gitleaks" },
        { "real/gitleaks-7.5.0.json", "gitleaks" },
        { "real/github-alerts-many.json", "github-alerts" },
        { "real/github-alerts-one.json", "github-alerts" },
        { "real/sarif-gitleaks.sarif", "sarif" },
        { "real/github-alerts-paginated.json", "github-alerts" },
        { "real/github-alerts-slurped.json", "github-alerts" },
        { "real/github-alerts-empty.json", "no-findings" },
        { "real/gitleaks-simple.json", "gitleaks" },
        { "real/gitleaks-simple.sarif", "sarif" },
        { "real/gitleaks-baseline-redacted.json", "gitleaks" },
        { "real/trufflehog-issue-comment.jsonl", "trufflehog" },
        { "real/sarif-codeql.sarif", "sarif" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_fixture_is_detected_as_its_format_and_the_stream_is_rewound(string file, string expected)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));
        stream.Position = 0;

        Assert.Equal(expected, Parsers.Detect(stream));
        Assert.Equal(0, stream.Position);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Detection_on_a_non_seekable_stream_hands_back_a_stream_that_replays_the_start(string file, string expected)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));
        using var trickle = new TrickleStream(bytes, maxChunk: 1000);

        var format = Parsers.Detect(trickle, out var content);
        using var copy = new MemoryStream();
        content.CopyTo(copy);

        Assert.Equal(expected, format);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void Auto_parses_a_non_seekable_stream_like_the_explicit_format()
    {
        var bytes = File.ReadAllBytes(Sample("github-alerts.json"));
        using var trickle = new TrickleStream(bytes);

        var auto = Parsers.Parse("auto", trickle).Findings();

        Assert.Equal(ParseFile("github-alerts", Sample("github-alerts.json")).Findings().Select(f => f.Secret), auto.Select(f => f.Secret));
    }

    [Fact]
    public void Format_ids_are_case_insensitive()
    {
        Assert.Equal(4, ParseFile(" TruffleHog ", Sample("trufflehog.jsonl")).Findings().Count);
        Assert.Equal(2, ParseFile("AUTO", Sample("gitleaks.json")).Findings().Count);
    }

    [Fact]
    public void Detecting_a_non_seekable_stream_without_replay_is_refused()
    {
        using var trickle = new TrickleStream([1, 2, 3]);

        Assert.Throws<ArgumentException>(() => Parsers.Detect(trickle));
    }

    [Theory]
    [InlineData("hello, world\nthis is not a report\n")]
    [InlineData("{\"name\": \"package.json\", \"version\": \"1.0.0\"}")]
    [InlineData("[{\"id\": 1, \"title\": \"an issue\"}]")]
    [InlineData("[1, 2, 3]")]
    [InlineData("<?xml version=\"1.0\"?><report/>")]
    public void Unrecognised_content_is_rejected_naming_the_expected_formats(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var ex = Assert.Throws<ImportRejectedException>(() => Parsers.Detect(stream));

        Assert.Equal("auto", ex.Format);
        Assert.Contains("trufflehog", ex.Message);
        Assert.Contains("owners-csv", ex.Message);
        Assert.Contains("line 1", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Detection_of_a_5_MB_single_line_record_still_sees_its_first_keys()
    {
        var line = "{\"SourceMetadata\":{\"Data\":{\"Git\":{\"file\":\"a\"}}},\"DetectorName\":\"X\",\"Raw\":\"" + new string('A', 5 * 1024 * 1024) + "\"}";

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(line));

        Assert.Equal("trufflehog", Parsers.Detect(stream));
    }
}
