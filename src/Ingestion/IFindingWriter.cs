namespace GovernanceDashboard.Ingestion;

/// <summary>Writes one import's findings inside its transaction: <see cref="FindingWriter"/> (row by row, SQLite) or
/// <see cref="Postgres.PostgresFindingWriter"/> (batches through binary COPY, PostgreSQL). Both give the same rows and counts.</summary>
internal interface IFindingWriter : IDisposable
{
    /// <summary>Records one finding under its names (null: it has none); returns a reason when it cannot be recorded.</summary>
    string? Write(Finding f, FindingNames? names);

    /// <summary>Writes whatever is still held back; the counts are final after it.</summary>
    void Complete() { }

    int TokensNew { get; }
    int TokensSeen { get; }
    int OccurrencesNew { get; }
    int Duplicates { get; }
    int ExposuresOpened { get; }
    int ExposuresClosed { get; }
    int OccurrencesOnClosedTokens { get; }
}
