namespace GovernanceDashboard.Ingestion;

/// <summary>The one upload flow of the Imports page and <c>POST /api/imports</c>: the size limit (declared, then counted),
/// the encrypted spool, and the import off the caller's thread.</summary>
public sealed class UploadImport(ImportService imports, UploadSpool spool, IConfiguration configuration)
{
    /// <summary><c>Imports:MaxUploadMegabytes</c> in bytes.</summary>
    public long MaxBytes => ImportUploads.MaxBytes(configuration);

    /// <summary>Spools the body (refused beyond the limit, whatever length was declared) and imports it.</summary>
    /// <exception cref="UploadTooLargeException">the declared or the actual length is beyond the limit; nothing was written.</exception>
    /// <exception cref="Importers.ImportRejectedException">the file was rejected; nothing but its line in the history was written.</exception>
    public async Task<ImportSummary> ImportAsync(Stream body, long? declaredLength, ImportRequest request, IProgress<long>? uploaded = null,
        IProgress<ImportProgress>? importing = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var max = MaxBytes;
        if (declaredLength > max) throw new UploadTooLargeException(max);
        SpooledUpload? spooled;
        try
        {
            spooled = await spool.SpoolAsync(body, max, ct, uploaded);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without a declared length that runs past Kestrel's limit for the endpoint: Kestrel stops reading it.
            throw new UploadTooLargeException(max);
        }
        if (spooled is null) throw new UploadTooLargeException(max);
        await using var upload = spooled;
        // The import is CPU and disk work: off the caller's thread, so a page's progress bar keeps moving.
        return await Task.Run(() => imports.ImportUploadAsync(upload, request, importing, ct), ct);
    }
}

/// <summary>An upload beyond <c>Imports:MaxUploadMegabytes</c>; its message is the one to show.</summary>
public sealed class UploadTooLargeException(long maxBytes) : Exception(ImportUploads.TooLarge(maxBytes))
{
    public long MaxBytes { get; } = maxBytes;
}

public static class IngestionRegistration
{
    /// <summary>Imports: the service, the upload spool and the upload flow the page and the API share.</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportService>();
        builder.Services.AddSingleton<UploadSpool>();
        builder.Services.AddSingleton<UploadImport>();
        return builder;
    }
}
