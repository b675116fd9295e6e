namespace GovernanceDashboard.Domain;

/// <summary>Whether an import's records were written, or the whole file was refused (nothing of it written).</summary>
public enum ImportStatus
{
    Completed,
    Rejected,
}

/// <summary>The record of one imported file: what, who, when, and the counts of its summary; or of a rejected file, with why.</summary>
public class ScanImport
{
    public int Id { get; set; }
    public ImportStatus Status { get; set; }

    /// <summary>Why the file was rejected (the message the person saw; never a secret). Null for a completed import.</summary>
    public string? RejectionReason { get; set; }
    public required string Format { get; set; }
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public required string ImportedBy { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public DateTimeOffset ScannedAt { get; set; }
    public int Records { get; set; }
    public int TokensNew { get; set; }
    public int TokensSeen { get; set; }
    public int OccurrencesNew { get; set; }
    public int Duplicates { get; set; }
    public int RejectedCount { get; set; }

    /// <summary>JSON list of {line, reason} (never a secret).</summary>
    public string? RejectedJson { get; set; }
    public int ExposuresOpened { get; set; }
    public int ExposuresClosed { get; set; }
    public int OccurrencesOnClosedTokens { get; set; }

    /// <summary>The earlier import of a file with the same SHA-256, if any.</summary>
    public int? SameFileAsImportId { get; set; }
    public int PeopleAdded { get; set; }
    public int PeopleUpdated { get; set; }
    public int RulesSaved { get; set; }
    public int TokensAssignedByRule { get; set; }
}
