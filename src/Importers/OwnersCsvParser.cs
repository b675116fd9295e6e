namespace GovernanceDashboard.Importers;

/// <summary>Reads ownership rules (<c>platform,account,owner_email</c>): every token of that platform account gets that owner.</summary>
public static class OwnersCsvParser
{
    private static readonly string[] Required = ["platform", "account", "owner_email"];

    /// <summary>Lazily parses the stream; see <see cref="Parsers.Parse"/> for the error contract. Owner emails are trimmed and lower-cased.</summary>
    public static IEnumerable<ParsedItem> Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Iterate(stream);
    }

    /// <summary>HuggingFace / Hugging Face / hf, GitHub, Other (any case), or null.</summary>
    public static TokenPlatform? ParsePlatform(string? text)
    {
        var key = new string((text ?? "").Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return key switch
        {
            "huggingface" or "hf" => TokenPlatform.HuggingFace,
            "github" => TokenPlatform.GitHub,
            "other" => TokenPlatform.Other,
            _ => null,
        };
    }

    private static IEnumerable<ParsedItem> Iterate(Stream stream)
    {
        using var table = CsvTable.Open(stream, ImportFormats.OwnersCsv, Required, []);
        foreach (var item in table.Records(Required, Map)) yield return item;
    }

    private static ParsedItem Map(CsvTable.Row row, int line)
    {
        if (ParsePlatform(row["platform"]) is not { } platform)
        {
            return new RejectedRecord(line, $"platform is {CsvValues.Quote(row["platform"])}; expected HuggingFace, GitHub or Other");
        }
        if (row["account"] is not { } account) return new RejectedRecord(line, "account is missing");
        if (CsvValues.Email(row["owner_email"]) is not { } owner) return new RejectedRecord(line, "owner_email is missing or not an address");
        return new OwnershipRow(line, platform, account, owner);
    }
}
