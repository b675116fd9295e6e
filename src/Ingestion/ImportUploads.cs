using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace GovernanceDashboard.Ingestion;

/// <summary>The upload limit of the Imports page and <c>POST /api/imports</c> (<c>Imports:MaxUploadMegabytes</c>).</summary>
public static class ImportUploads
{
    public static long MaxBytes(IConfiguration config) => config.GetValue("Imports:MaxUploadMegabytes", 512L) * 1024 * 1024;

    /// <summary>The answer for an upload beyond the limit, the same for a declared length and a body that turned out longer.</summary>
    public static string TooLarge(long maxBytes) =>
        $"The file is larger than the upload limit of {maxBytes / (1024 * 1024)} MB (Imports:MaxUploadMegabytes).";
}

/// <summary>Uploads are spooled to disk so a file of any size streams through with bounded memory, and so the parsers can
/// read it twice (format detection, then the records). The spool is the key directory's sibling <c>spool/</c>, private to
/// this service (0700, files 0600), and its files are never in clear: each upload is encrypted with AES-GCM under its own
/// random key that lives only in this process's memory, so a file left behind by a crash is unreadable and is deleted at
/// the next start.</summary>
public sealed class UploadSpool(KeyStore keys, ILogger<UploadSpool> log)
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

    public string Directory { get; } = keys.SiblingDirectory("spool");

    /// <summary>Creates the folder (0700) and deletes every file an earlier run left behind; returns how many.</summary>
    public int ClearLeftovers()
    {
        EnsureFolder();
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException ex)
            {
                log.LogWarning(ex, "Could not delete a spooled upload left behind: {File}", Path.GetFileName(file));
            }
        }
        if (removed > 0) log.LogInformation("Deleted {Count} spooled upload(s) left behind by an earlier run (encrypted, unreadable without their lost keys).", removed);
        return removed;
    }

    /// <summary>Encrypts the stream into a spool file; null when it is longer than maxBytes (the partial file is deleted).</summary>
    public async Task<SpooledUpload?> SpoolAsync(Stream source, long maxBytes, CancellationToken ct, IProgress<long>? progress = null)
    {
        EnsureFolder();
        var upload = new SpooledUpload(Path.Combine(Directory, $"upload-{Guid.NewGuid():N}.bin"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = Private;
            await using var target = new FileStream(upload.Path, options);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var plain = new byte[SpooledUpload.ChunkBytes];
            var sealedChunk = new byte[SpooledUpload.ChunkBytes + SpooledUpload.TagBytes];
            long total = 0;
            long chunk = 0;
            try
            {
                while (true)
                {
                    var filled = await FillAsync(source, plain, ct);
                    if (filled == 0) break;
                    total += filled;
                    if (total > maxBytes)
                    {
                        await target.DisposeAsync();
                        await upload.DisposeAsync();
                        return null;
                    }
                    sha256.AppendData(plain, 0, filled);
                    upload.Seal(chunk++, plain.AsSpan(0, filled), sealedChunk.AsSpan(0, filled + SpooledUpload.TagBytes));
                    await target.WriteAsync(sealedChunk.AsMemory(0, filled + SpooledUpload.TagBytes), ct);
                    progress?.Report(total);
                    if (filled < plain.Length) break;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
            upload.Complete(total, Convert.ToHexStringLower(sha256.GetHashAndReset()));
            return upload;
        }
        catch
        {
            await upload.DisposeAsync();
            throw;
        }
    }

    private void EnsureFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            return;
        }
        System.IO.Directory.CreateDirectory(Directory, PrivateFolder);
        // An existing folder keeps its mode on CreateDirectory: make it private whatever made it.
        File.SetUnixFileMode(Directory, PrivateFolder);
    }

    // Chunks are full except the last, so a chunk's place in the file follows from its number.
    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }
}

/// <summary>One encrypted upload on disk: chunks of 64 KiB, each sealed with AES-256-GCM (nonce = chunk number) under a
/// key held only here. Deleted, and the key wiped, on dispose.</summary>
public sealed class SpooledUpload : IAsyncDisposable
{
    internal const int ChunkBytes = 64 * 1024;
    internal const int TagBytes = 16;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly AesGcm _aes;

    internal SpooledUpload(string path)
    {
        Path = path;
        _aes = new AesGcm(_key, TagBytes);
    }

    public string Path { get; }

    /// <summary>Length of the upload in clear.</summary>
    public long Length { get; private set; }

    /// <summary>SHA-256 of the upload in clear, computed while spooling.</summary>
    public string Sha256 { get; private set; } = "";

    /// <summary>A seekable read-only stream of the upload in clear, decrypting one chunk at a time.</summary>
    public Stream OpenRead() => new SpoolReadStream(this);

    internal void Complete(long length, string sha256) => (Length, Sha256) = (length, sha256);

    internal void Seal(long chunk, ReadOnlySpan<byte> plain, Span<byte> sealedChunk)
    {
        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(nonce[4..], chunk);
        _aes.Encrypt(nonce, plain, sealedChunk[..plain.Length], sealedChunk[plain.Length..]);
    }

    internal void Open(long chunk, ReadOnlySpan<byte> sealedChunk, Span<byte> plain)
    {
        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(nonce[4..], chunk);
        _aes.Decrypt(nonce, sealedChunk[..plain.Length], sealedChunk[plain.Length..], plain);
    }

    public ValueTask DisposeAsync()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_key);
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }

    private sealed class SpoolReadStream : Stream
    {
        private readonly SpooledUpload _upload;
        private readonly SafeFileHandle _handle;
        private readonly byte[] _sealed = new byte[ChunkBytes + TagBytes];
        private readonly byte[] _plain = new byte[ChunkBytes];
        private long _chunk = -1;
        private int _chunkLength;
        private long _position;

        public SpoolReadStream(SpooledUpload upload)
        {
            _upload = upload;
            _handle = File.OpenHandle(upload.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => _upload.Length;

        public override long Position
        {
            get => _position;
            set
            {
                ArgumentOutOfRangeException.ThrowIfNegative(value);
                _position = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= Length || buffer.IsEmpty) return 0;
            var chunk = _position / ChunkBytes;
            if (chunk != _chunk) Load(chunk);
            var within = (int)(_position - chunk * ChunkBytes);
            var n = Math.Min(buffer.Length, _chunkLength - within);
            _plain.AsSpan(within, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        private void Load(long chunk)
        {
            var length = (int)Math.Min(ChunkBytes, Length - chunk * ChunkBytes);
            var span = _sealed.AsSpan(0, length + TagBytes);
            var offset = chunk * (ChunkBytes + TagBytes);
            var read = 0;
            while (read < span.Length)
            {
                var n = RandomAccess.Read(_handle, span[read..], offset + read);
                if (n == 0) throw new IOException("The spooled upload is shorter than what was written.");
                read += n;
            }
            _upload.Open(chunk, span, _plain.AsSpan(0, length));
            (_chunk, _chunkLength) = (chunk, length);
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _handle.Dispose();
                CryptographicOperations.ZeroMemory(_plain);
            }
            base.Dispose(disposing);
        }
    }
}
