using System.Text;
using GovernanceDashboard.Importers;
using Xunit;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

public class BadInputTests
{
    public static TheoryData<string> AllFormats => ["trufflehog", "gitleaks", "github-alerts", "sarif", "people-csv", "owners-csv", "auto"];

    [Theory]
    [InlineData("gitleaks", "trufflehog.jsonl")]
    [InlineData("github-alerts", "gitleaks.json")]
    [InlineData("sarif", "gitleaks.json")]
    [InlineData("gitleaks", "github-alerts.json")]
    [InlineData("trufflehog", "gitleaks.sarif")]
    [InlineData("trufflehog", "people.csv")]
    [InlineData("gitleaks", "gitleaks.sarif")]
    [InlineData("people-csv", "owners.csv")]
    [InlineData("owners-csv", "gitleaks.json")]
    public void File_of_another_format_is_rejected_naming_the_expected_one_and_a_line(string format, string file)
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseFile(format, Sample(file)));

        Assert.Equal(format, ex.Format);
        Assert.Contains(format, ex.Message);
        Assert.Contains("line", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(ex.Line);
    }

    [Theory]
    [InlineData("gitleaks", "gitleaks.json")]
    [InlineData("github-alerts", "github-alerts.json")]
    [InlineData("sarif", "gitleaks.sarif")]
    public void Truncated_json_is_rejected_as_truncated(string format, string file)
    {
        var bytes = File.ReadAllBytes(Sample(file));
        var half = bytes[..(bytes.Length * 2 / 3)];

        var ex = Assert.Throws<ImportRejectedException>(() => ParseBytes(format, half));

        Assert.Contains("truncated", ex.Message);
        Assert.NotNull(ex.Line);
        Assert.DoesNotContain(KnownSecrets, s => ex.Message.Contains(s, StringComparison.Ordinal));
    }

    [Fact]
    public void Trailing_garbage_after_the_array_is_rejected()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText("gitleaks", "[]\n{\"more\": 1}"));

        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Invalid_utf8_in_one_jsonl_record_rejects_it_alone()
    {
        var lines = File.ReadAllText(Sample("trufflehog.jsonl")).Split('\n');
        var bytes = new List<byte>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = Encoding.UTF8.GetBytes(lines[i]);
            if (i == 1)
            {
                // Break the UTF-8 inside the file name of the second record.
                var at = lines[i].IndexOf("eval.ipynb", StringComparison.Ordinal);
                line = [.. line[..at], 0xC3, 0x28, .. line[at..]];
            }
            bytes.AddRange(line);
            if (i < lines.Length - 1) bytes.Add((byte)'\n');
        }

        var items = ParseBytes("trufflehog", [.. bytes]);

        Assert.Equal([1, 3, 4], items.Findings().Select(f => f.Line));
        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(2, rejected.Line);
        Assert.Contains("UTF-8", rejected.Reason);
    }

    [Fact]
    public void A_5_MB_single_line_is_rejected_alone_and_the_next_line_imports()
    {
        var huge = "{\"SourceMetadata\":{\"Data\":{\"Git\":{\"file\":\"a\"}}},\"DetectorName\":\"HuggingFace\",\"Raw\":\"hf_" + new string('A', 5 * 1024 * 1024) + "\"}";
        var text = huge + "\n" + TruffleHogParserTests.Line();

        var items = ParseText("auto", text);

        var rejected = Assert.Single(items.Rejected());
        Assert.Equal(1, rejected.Line);
        Assert.Contains("1 MiB", rejected.Reason);
        Assert.Equal(2, Assert.Single(items.Findings()).Line);
    }

    [Fact]
    public void A_5_MB_single_line_array_element_is_rejected_alone()
    {
        var text = "[{\"RuleID\":\"github-pat\",\"File\":\"a\",\"Secret\":\"ghp_" + new string('A', 5 * 1024 * 1024) + "\"}," +
                   "{\"RuleID\":\"github-pat\",\"File\":\"b\",\"Secret\":\"ghp_0123456789abcdefghijABCDEFGHIJ012345\"}]";

        var items = ParseText("gitleaks", text);

        Assert.Contains("1 MiB", Assert.Single(items.Rejected()).Reason);
        Assert.Equal("b", Assert.Single(items.Findings()).File);
    }

    [Fact]
    public void A_5_MB_single_line_csv_row_is_rejected_alone()
    {
        var text = "platform,account,owner_email\nGitHub," + new string('a', 5 * 1024 * 1024) + ",a@x.io\nGitHub,b,b@x.io\n";

        var items = ParseText("owners-csv", text);

        Assert.Equal(2, Assert.Single(items.Rejected()).Line);
        Assert.Equal(3, Assert.Single(items.OfType<OwnershipRow>()).Line);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Empty_file_is_rejected(string format)
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseBytes(format, []));

        Assert.Contains("empty", ex.Message);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Whitespace_only_file_is_rejected(string format)
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText(format, " \n\r\n\t \n"));

        Assert.Contains("empty", ex.Message);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Binary_garbage_is_rejected_whole(string format)
    {
        var random = new Random(1234);
        var bytes = new byte[64 * 1024];
        random.NextBytes(bytes);

        var ex = Assert.Throws<ImportRejectedException>(() => ParseBytes(format, bytes));

        Assert.NotNull(ex.Line ?? ex.BytePosition);
    }

    [Fact]
    public void Binary_garbage_under_auto_names_the_offending_byte()
    {
        var bytes = "email,display_name"u8.ToArray().Concat(new byte[] { 0x00, 0x01, 0xFF }).ToArray();

        var ex = Assert.Throws<ImportRejectedException>(() => ParseBytes("auto", bytes));

        Assert.Contains("binary", ex.Message);
        Assert.Equal(18, ex.BytePosition);
    }

    [Fact]
    public void Unknown_format_id_is_rejected()
    {
        var ex = Assert.Throws<ImportRejectedException>(() => ParseText("csv", "a,b"));

        Assert.Contains("people-csv", ex.Message);
    }

    [Fact]
    public void Rejections_never_quote_a_secret()
    {
        var secret = "ghp_SECRETsecretSECRETsecretSECRET123456";
        var inputs = new (string Format, string Text)[]
        {
            ("trufflehog", "{\"SourceMetadata\":{},\"DetectorName\":\"Github\",\"Raw\":\"" + secret + "\"}\n{\"Raw\":\"" + secret + "\",\"Verified\":\"" + secret + "\"}"),
            ("trufflehog", "{\"Raw\":\"" + secret + "\""),
            ("gitleaks", "[{\"Secret\":\"" + secret + "\",\"StartLine\":\"" + secret + "\"},{\"Secret\":" + secret + "}]"),
            ("gitleaks", "[{\"Secret\":\"" + secret + "\"}"),
            ("github-alerts", "[{\"number\":\"" + secret + "\",\"secret\":\"" + secret + "\"}]"),
            ("sarif", "{\"version\":\"" + secret + "\",\"runs\":[]}"),
            ("sarif", "{\"runs\":[{\"results\":[{\"ruleId\":7,\"message\":{\"text\":\"" + secret + "\"}}]}]}"),
            ("auto", secret + "\n" + secret),
            ("auto", "{\"" + secret + "\":1}"),
            ("auto", "[{\"" + secret + "\":1}]"),
        };

        foreach (var (format, text) in inputs)
        {
            try
            {
                foreach (var item in ParseText(format, text))
                {
                    if (item is RejectedRecord r) Assert.DoesNotContain("SECRETsecret", r.Reason);
                    Assert.DoesNotContain("SECRETsecret", item.ToString());
                }
            }
            catch (ImportRejectedException ex)
            {
                Assert.DoesNotContain("SECRETsecret", ex.Message);
            }
        }
    }

    [Fact]
    public void Finding_text_never_shows_the_secret()
    {
        foreach (var finding in ParseFile("trufflehog", Sample("trufflehog.jsonl")).Findings())
        {
            Assert.DoesNotContain(finding.Secret!, finding.ToString());
        }
    }

    public static TheoryData<string, string> FixtureFormats => new()
    {
        { "samples/trufflehog.jsonl", "trufflehog" },
        { "samples/gitleaks.json", "gitleaks" },
        { "samples/github-alerts.json", "github-alerts" },
        { "samples/gitleaks.sarif", "sarif" },
        { "samples/people.csv", "people-csv" },
        { "samples/owners.csv", "owners-csv" },
        { "real/trufflehog-v3-git.jsonl", "trufflehog" },
        { "real/gitleaks8-many.json", "gitleaks" },
        { "real/github-alerts-many.json", "github-alerts" },
        { "real/sarif-gitleaks.sarif", "sarif" },
    };

    // Every cut and many random corruptions of real files, under every parser: rejection is allowed, a crash is not,
    // and no message may carry a secret.
    [Theory]
    [MemberData(nameof(FixtureFormats))]
    public void Cut_or_corrupted_files_never_crash_any_parser(string file, string format)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));
        var random = new Random(file.Length);
        var variants = new List<byte[]>();
        for (var cut = 0; cut < bytes.Length; cut += Math.Max(1, bytes.Length / 150)) variants.Add(bytes[..cut]);
        for (var i = 0; i < 150; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (var j = 0; j < 1 + random.Next(4); j++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
            variants.Add(copy);
        }

        // The parsers are called directly, not through Parsers.Parse, whose guard would hide a crash as a rejection.
        var parsers = new Func<Stream, IEnumerable<ParsedItem>>[]
        {
            TruffleHogParser.Parse, GitleaksParser.Parse, GitHubAlertsParser.Parse, SarifParser.Parse,
            PeopleCsvParser.Parse, OwnersCsvParser.Parse, s => Parsers.Parse(format, s),
        };
        foreach (var variant in variants)
        {
            foreach (var parse in parsers)
            {
                try
                {
                    using var stream = new MemoryStream(variant);
                    foreach (var item in parse(stream))
                    {
                        if (item is RejectedRecord r) Assert.DoesNotContain(KnownSecrets, s => r.Reason.Contains(s, StringComparison.Ordinal));
                    }
                }
                catch (ImportRejectedException ex)
                {
                    Assert.DoesNotContain(KnownSecrets, s => ex.Message.Contains(s, StringComparison.Ordinal));
                }
            }
        }
    }
}
