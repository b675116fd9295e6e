namespace GovernanceDashboard.Importers;

/// <summary>What a parser yields for each record of a file: a finding, a person, an ownership rule, or a rejection.</summary>
public abstract record ParsedItem(int Line);

/// <summary>A record rejected alone (the rest of the file imports); the reason never carries a secret.</summary>
public sealed record RejectedRecord(int Line, string Reason) : ParsedItem(Line);

/// <summary>A record that is not a finding — a SARIF result of a rule that does not look for secrets (CodeQL, linters): counted
/// in the summary as "not a secret finding", neither written nor rejected.</summary>
public sealed record SkippedRecord(int Line, string Reason) : ParsedItem(Line);

/// <summary>One secret finding from a scanner, normalised across formats.</summary>
public sealed record Finding(int Line) : ParsedItem(Line)
{
    /// <summary>Scanner name: "TruffleHog", "Gitleaks", "GitHub", or the SARIF driver's name.</summary>
    public required string Scanner { get; init; }

    /// <summary>The clear secret, or null when the scanner masked or hid it. Never logged, never stored.</summary>
    public string? Secret { get; init; }

    /// <summary>For a finding without a secret: the location key (tool + rule + repository/uri + line + column [+ fingerprint], or repository + alert number).</summary>
    public string? LocationKey { get; init; }

    public required string Detector { get; init; }
    public TokenPlatform Platform { get; init; }
    public TokenKind Kind { get; init; }
    public Verification Verification { get; init; }

    public string? Account { get; init; }
    public IReadOnlyList<string> Organizations { get; init; } = [];
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string? Role { get; init; }
    public WriteCapability WriteCapability { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public string? Repository { get; init; }
    public string? File { get; init; }
    public int? LineNumber { get; init; }
    public int? Column { get; init; }
    public string? Commit { get; init; }
    public string? Link { get; init; }
    public RepoVisibility Visibility { get; init; } = RepoVisibility.Unknown;
    public string? AuthorEmail { get; init; }
    public DateTimeOffset? CommitTime { get; init; }

    // GitHub secret scanning alert fields (null for other scanners).
    public long? AlertNumber { get; init; }
    public DateTimeOffset? AlertCreatedAt { get; init; }
    public string? AlertState { get; init; }
    public string? AlertResolution { get; init; }
    public DateTimeOffset? AlertResolvedAt { get; init; }
    public bool PubliclyLeaked { get; init; }

    /// <summary>A finding's text never shows the secret, whatever prints it.</summary>
    public override string ToString() => $"Finding {{ Line = {Line}, Scanner = {Scanner}, Detector = {Detector}, Platform = {Platform}, File = {File} }}";
}

/// <summary>A people-csv row; <paramref name="Roles"/> is null when the file has no roles column (roles are left as they are).</summary>
public sealed record PersonRow(int Line, string Email, string DisplayName, string? Team, string? ManagerEmail, bool Active, Roles? Roles,
    string? GitHubLogin = null) : ParsedItem(Line);

/// <summary>An owners-csv row.</summary>
public sealed record OwnershipRow(int Line, TokenPlatform Platform, string Account, string OwnerEmail) : ParsedItem(Line);

/// <summary>The whole file is not of the expected format; nothing may be written.</summary>
public sealed class ImportRejectedException(string format, string message, long? line = null, long? bytePosition = null)
    : Exception(message)
{
    public string Format { get; } = format;
    public long? Line { get; } = line;
    public long? BytePosition { get; } = bytePosition;
}
