namespace GovernanceDashboard.Domain;

/// <summary>One place a token was seen, by one scanner, in one import.</summary>
public class Occurrence
{
    public long Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }
    public int ImportId { get; set; }
    public ScanImport? Import { get; set; }

    /// <summary>Hash of what makes this place distinct (scanner, repository, file, line, commit, alert); re-imports dedupe on it.</summary>
    public required string Key { get; set; }

    public required string Scanner { get; set; }
    public string? Detector { get; set; }
    public string? Repository { get; set; }
    public string? File { get; set; }
    public int? Line { get; set; }
    public int? Column { get; set; }
    public string? Commit { get; set; }
    public string? Link { get; set; }
    public RepoVisibility Visibility { get; set; } = RepoVisibility.Unknown;
    public string? AuthorEmail { get; set; }
    public DateTimeOffset? CommitTime { get; set; }
    public Verification Verification { get; set; }

    /// <summary>When this occurrence was detected: the alert's created_at, else the import's scannedAt.</summary>
    public DateTimeOffset DetectedAt { get; set; }

    public long? AlertNumber { get; set; }
    public string? AlertState { get; set; }
    public string? AlertResolution { get; set; }
    public DateTimeOffset? AlertResolvedAt { get; set; }
    public bool PubliclyLeaked { get; set; }
}
