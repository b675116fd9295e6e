namespace GovernanceDashboard.Domain;

/// <summary>The record of one imported file: what, who, when, and the counts of its summary.</summary>
public class ScanImport
{
    public int Id { get; set; }
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
