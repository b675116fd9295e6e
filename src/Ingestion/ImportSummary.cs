namespace GovernanceDashboard.Ingestion;

/// <summary>What one import did (docs/interfaces.md's --json summary and the API's answer). Never carries a secret.</summary>
public sealed record ImportSummary
{
    public int ImportId { get; init; }
    public required string Format { get; init; }
    public required string FileName { get; init; }
    public required string Sha256 { get; init; }
    public DateTimeOffset ScannedAt { get; init; }
    public int Records { get; init; }
    public int TokensNew { get; init; }
    public int TokensSeen { get; init; }
    public int OccurrencesNew { get; init; }
    public int Duplicates { get; init; }
    public IReadOnlyList<RejectedLine> Rejected { get; init; } = [];
    public int ExposuresOpened { get; init; }
    public int ExposuresClosed { get; init; }

    /// <summary>New occurrences of tokens already revoked or whose exposure was dismissed: recorded, opening nothing.</summary>
    public int OccurrencesOnClosedTokens { get; init; }
    public int PeopleAdded { get; init; }
    public int PeopleUpdated { get; init; }
    public int RulesSaved { get; init; }
    public int TokensAssignedByRule { get; init; }

    /// <summary>Records that are not secret findings (SARIF results of rules that do not look for secrets): read, skipped,
    /// neither written nor rejected.</summary>
    public int NotSecretFindings { get; init; }

    /// <summary>The earlier import of the very same file (same SHA-256), if any.</summary>
    public int? SameFileAsImportId { get; init; }

    /// <summary>One sentence for people: what changed, or that nothing did.</summary>
    public required string Message { get; init; }
}

/// <summary>A record rejected alone, by its line in the file.</summary>
public sealed record RejectedLine(int Line, string Reason);

/// <summary>How far an import has got, for progress bars.</summary>
public sealed record ImportProgress(long BytesRead, long TotalBytes, int Records)
{
    public double Fraction => TotalBytes == 0 ? 1 : Math.Clamp((double)BytesRead / TotalBytes, 0, 1);
}

/// <summary>What to import: the file's name as the user knows it, the format (null: detect), when it was scanned, and who imports.</summary>
public sealed record ImportRequest(string FileName, string? Format, DateTimeOffset? ScannedAt, string Actor)
{
    /// <summary>Whether the importer may change the people directory (who exists, their roles: a people-csv). Off unless
    /// the caller says so: an Admin in the app, or an operator at the server's command line.</summary>
    public bool MayChangeDirectory { get; init; }
}

/// <summary>The file is of a format its importer may not import (a people-csv from someone who is not an Admin); nothing was written.</summary>
public sealed class ImportForbiddenException(string format, string message) : Exception(message)
{
    public string Format { get; } = format;
}
