using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using GovernanceDashboard.Importers;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Importers;

/// <summary>Every parser, fed mutated copies of a good file (truncation, byte flips, invalid UTF-8, huge numbers, deep
/// nesting, wrong types, dropped or repeated lines, junk): no exception but a clear rejection, no hang, no secret in a
/// message. A few hundred inputs per parser in the suite; <c>FUZZ_ITERATIONS=100000 dotnet test --filter Fuzz</c> for more.</summary>
public class ParserFuzzTests
{
    /// <summary>How long one input may take before it counts as a hang: far beyond what any input here needs.</summary>
    private static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(30);

    private static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 250;

    public static TheoryData<string, string> Seeds => new()
    {
        { ImportFormats.TruffleHog, "trufflehog.jsonl" },
        { ImportFormats.Gitleaks, "gitleaks.json" },
        { ImportFormats.GitHubAlerts, "github-alerts.json" },
        // Real gh --paginate output: pages back to back (the seed path is relative to the samples folder).
        { ImportFormats.GitHubAlerts, "../real/github-alerts-paginated.json" },
        { ImportFormats.Sarif, "gitleaks.sarif" },
        { ImportFormats.PeopleCsv, "people.csv" },
        { ImportFormats.OwnersCsv, "owners.csv" },
    };

    private static IEnumerable<ParsedItem> ParserFor(string format, Stream stream) => format switch
    {
        ImportFormats.TruffleHog => TruffleHogParser.Parse(stream),
        ImportFormats.Gitleaks => GitleaksParser.Parse(stream),
        ImportFormats.GitHubAlerts => GitHubAlertsParser.Parse(stream),
        ImportFormats.Sarif => SarifParser.Parse(stream),
        ImportFormats.PeopleCsv => PeopleCsvParser.Parse(stream),
        ImportFormats.OwnersCsv => OwnersCsvParser.Parse(stream),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>One mutation: its kind and two random numbers that place and size it.</summary>
    public readonly record struct Mutation(int Kind, int A, int B)
    {
        public override string ToString() => $"{Names[Kind]}({A},{B})";
    }

    private static readonly string[] Names = ["truncate", "flip", "bad-utf8", "huge-number", "deep-nesting", "wrong-type", "lines", "junk"];

    private static readonly Gen<Mutation> OneMutation =
        Gen.Select(Gen.Int[0, Names.Length - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], (k, a, b) => new Mutation(k, a, b));

    private static readonly Gen<Mutation[]> Mutations = OneMutation.Array[1, 4];

    // The parsers themselves, not Parsers.Parse: its guard turns any exception into a rejection, which would hide a bug here.
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Fuzz_a_parser_never_throws_but_a_clear_rejection_and_never_hangs(string format, string seedFile)
    {
        var seed = File.ReadAllBytes(Sample(seedFile));
        Mutations.Sample(mutations => Check(format, Mutate(seed, mutations)),
            iter: Iterations, threads: 1, print: m => string.Join(" ", m.Select(x => x.ToString())));
    }

    // Detection reads the first bytes of anything: mutated files of every format through "auto".
    [Fact]
    public void Fuzz_detection_and_parsing_of_any_mutated_file_rejects_clearly()
    {
        var seeds = Seeds.Select(row => File.ReadAllBytes(Sample((string)row[1]))).ToArray();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Mutations).Sample((which, mutations) => Check(ImportFormats.Auto, Mutate(seeds[which], mutations)),
            iter: Iterations, threads: 1, print: t => $"seed {t.Item1}: " + string.Join(" ", t.Item2.Select(x => x.ToString())));
    }

    private static void Check(string format, byte[] input)
    {
        var run = Task.Run(() => Consume(format, input));
        if (!run.Wait(HangAfter)) throw new TimeoutException($"{format}: no answer after {HangAfter.TotalSeconds} s on a {input.Length}-byte input");
        run.GetAwaiter().GetResult();
    }

    private static void Consume(string format, byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        try
        {
            var items = format == ImportFormats.Auto ? Parsers.Parse(format, stream) : ParserFor(format, stream);
            foreach (var item in items)
            {
                Assert.True(item.Line > 0, $"{item.GetType().Name} without a line number");
                if (item is RejectedRecord rejected)
                {
                    Assert.False(string.IsNullOrWhiteSpace(rejected.Reason), "a rejected record without a reason");
                    Assert.DoesNotContain(KnownSecrets, s => rejected.Reason.Contains(s, StringComparison.Ordinal));
                }
            }
        }
        catch (ImportRejectedException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message), "a rejection without a message");
            Assert.DoesNotContain(KnownSecrets, s => ex.Message.Contains(s, StringComparison.Ordinal));
            // "Could not be read as …" is the guard's message for an exception a parser did not expect: a bug to fix there.
            Assert.DoesNotContain("could not be read as", ex.Message, StringComparison.Ordinal);
        }
    }

    private static readonly string[] HugeNumbers =
        ["1" + new string('9', 400), "1e999999", "-1e999999", "-9223372036854775809", "18446744073709551616", "2147483648", "1.7976931348623157e309", "NaN", "-0"];

    private static readonly string[] OtherValues =
        ["123", "-1", "1.5", "\"text\"", "\"\"", "{}", "[]", "null", "true", "false", "[1,[2,{}]]", "{\"a\":{\"b\":[null]}}", "\"\\u0000\"", "\"\\ud800\""];

    private static readonly byte[][] BadUtf8 = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xEF, 0xBB, 0xBF]];

    private static readonly Regex Scalar = new("(?<=\":\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|true|false|null)", RegexOptions.Compiled);
    private static readonly Regex Digits = new("\\d+", RegexOptions.Compiled);

    internal static byte[] Mutate(byte[] seed, IEnumerable<Mutation> mutations)
    {
        var bytes = seed;
        foreach (var m in mutations) bytes = Apply(bytes, m);
        return bytes;
    }

    private static byte[] Apply(byte[] bytes, Mutation m)
    {
        var at = bytes.Length == 0 ? 0 : m.A % (bytes.Length + 1);
        switch (m.Kind)
        {
            case 0: // truncation
                return bytes[..at];
            case 1: // byte flips
            {
                if (bytes.Length == 0) return bytes;
                var copy = (byte[])bytes.Clone();
                for (var k = 0; k <= m.B % 8; k++) copy[(m.A + k * 7919) % copy.Length] ^= (byte)((m.B >> k) % 255 + 1);
                return copy;
            }
            case 2: // invalid UTF-8
                return [.. bytes[..at], .. BadUtf8[m.B % BadUtf8.Length], .. bytes[at..]];
            case 3: // huge numbers, where numbers are (or anywhere)
            {
                var text = Encoding.UTF8.GetString(bytes);
                var runs = Digits.Matches(text);
                var huge = HugeNumbers[m.B % HugeNumbers.Length];
                if (runs.Count == 0) return [.. bytes[..at], .. Encoding.UTF8.GetBytes(huge), .. bytes[at..]];
                var run = runs[m.A % runs.Count];
                return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, run.Index), huge, text.AsSpan(run.Index + run.Length)));
            }
            case 4: // deep nesting
            {
                var depth = 100 + m.B % 200_000;
                var open = (m.B & 1) == 0 ? "[" : "{\"a\":";
                var nest = new StringBuilder(open.Length * depth).Insert(0, open, depth).ToString();
                return [.. bytes[..at], .. Encoding.UTF8.GetBytes(nest), .. bytes[at..]];
            }
            case 5: // a value of the wrong type (JSON), a cell of the wrong kind (CSV)
            {
                var text = Encoding.UTF8.GetString(bytes);
                var values = Scalar.Matches(text);
                if (values.Count > 0)
                {
                    var value = values[m.A % values.Count];
                    return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, value.Index), OtherValues[m.B % OtherValues.Length], text.AsSpan(value.Index + value.Length)));
                }
                var commas = text.Select((c, i) => (c, i)).Where(x => x.c == ',').Select(x => x.i).ToList();
                if (commas.Count == 0) return bytes;
                var cell = commas[m.A % commas.Count] + 1;
                string[] junk = ["maybe", "", "\"unclosed", "=HYPERLINK(\"x\")", "Admin;Root;;", HugeNumbers[m.B % HugeNumbers.Length], "a,b,c,d,e,f,g"];
                return Encoding.UTF8.GetBytes(text.Insert(cell, junk[m.B % junk.Length]));
            }
            case 6: // lines dropped or repeated
            {
                var lines = Encoding.UTF8.GetString(bytes).Split('\n').ToList();
                var line = m.A % lines.Count;
                if ((m.B & 1) == 0) lines.RemoveAt(line);
                else lines.InsertRange(line, Enumerable.Repeat(lines[line], 1 + m.B % 50));
                return Encoding.UTF8.GetBytes(string.Join('\n', lines));
            }
            default: // junk bytes
            {
                var junk = new byte[1 + m.B % 64];
                new Random(m.B).NextBytes(junk);
                return [.. bytes[..at], .. junk, .. bytes[at..]];
            }
        }
    }
}
