namespace GovernanceDashboard.Ingestion;

/// <summary>Writes one import's findings inside its transaction: <see cref="FindingWriter"/> (row by row, SQLite) or
/// <see cref="Postgres.PostgresFindingWriter"/> (batches through binary COPY, PostgreSQL). Both give the same rows and these counts.</summary>
internal abstract class FindingWriterBase : IDisposable
{
    /// <summary>Why a finding without names cannot be recorded.</summary>
    protected const string NoNames = "the finding has neither a secret value nor a location";

    /// <summary>Records one finding under its names (null: it has none); returns a reason when it cannot be recorded.</summary>
    public abstract string? Write(Finding f, FindingNames? names);

    /// <summary>Writes whatever is still held back; the counts are final after it.</summary>
    public virtual void Complete() { }

    public int TokensNew { get; protected set; }
    public int TokensSeen { get; protected set; }
    public int OccurrencesNew { get; protected set; }
    public int Duplicates { get; protected set; }
    public int ExposuresOpened { get; protected set; }
    public int ExposuresClosed { get; protected set; }
    public int OccurrencesOnClosedTokens { get; protected set; }

    public abstract void Dispose();
}
