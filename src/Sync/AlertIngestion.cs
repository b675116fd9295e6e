namespace GovernanceDashboard.Sync;

/// <summary>Hands alerts read from GitHub's API to the very ingestion an uploaded <c>github-alerts</c> file goes through (the same
/// parser, the same one-token-per-secret rules, event times and alert states), so a pull, a pushed alert and a later upload of
/// the same alerts add nothing to each other. The page carries the secrets: it is spooled encrypted, as an upload is.</summary>
public sealed class AlertIngestion(ImportService imports, UploadSpool spool, TimeProvider clock)
{
    /// <summary>The actor of pulled pages and pushed alerts in the import list and the audit trail.</summary>
    public const string Actor = "github-app:sync";

    /// <summary>Imports one JSON array of alerts; the buffer is wiped afterwards.</summary>
    public async Task<ImportSummary> IngestAsync(byte[] alertsJson, string fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(alertsJson);
        try
        {
            await using var upload = await spool.SpoolAsync(new MemoryStream(alertsJson, writable: false), long.MaxValue, ct)
                ?? throw new InvalidOperationException("The page could not be spooled.");
            return await imports.ImportUploadAsync(upload, new ImportRequest(fileName, ImportFormats.GitHubAlerts, clock.GetUtcNow(), Actor), ct: ct);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(alertsJson);
        }
    }
}
