namespace GovernanceDashboard.Ingestion;

/// <summary>Uploads are spooled to a private temporary file, so a file of any size streams through with bounded memory.</summary>
public static class ImportUploads
{
    public static long MaxBytes(IConfiguration config) => config.GetValue("Imports:MaxUploadMegabytes", 512L) * 1024 * 1024;

    /// <summary>Copies the stream to a temporary file; null when it is longer than the limit (the partial file is deleted).</summary>
    public static async Task<SpooledFile?> SpoolAsync(Stream source, long maxBytes, CancellationToken ct, IProgress<long>? progress = null)
    {
        var file = new SpooledFile(Path.Combine(Path.GetTempPath(), $"gd-upload-{Guid.NewGuid():N}.tmp"));
        try
        {
            await using var target = new FileStream(file.Path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            // The upload holds secrets: readable by this service only, before a byte is written.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    await target.DisposeAsync();
                    await file.DisposeAsync();
                    return null;
                }
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                progress?.Report(total);
            }
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A temporary file deleted on dispose.</summary>
public sealed class SpooledFile(string path) : IAsyncDisposable
{
    public string Path { get; } = path;

    public ValueTask DisposeAsync()
    {
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
