using Microsoft.AspNetCore.DataProtection;

namespace GovernanceDashboard.Secrets;

/// <summary>Where the keys that never go into the database live (<c>Secrets:KeyDirectory</c>, default <c>keys/</c> under the content root).</summary>
public sealed class KeyStore
{
    public KeyStore(IConfiguration configuration, IHostEnvironment environment)
    {
        Directory = Path.GetFullPath(configuration["Secrets:KeyDirectory"] ?? "keys", environment.ContentRootPath);
        System.IO.Directory.CreateDirectory(Directory);
        IdentityKey = LoadOrCreate(Path.Combine(Directory, "token-identity.key"));
        // Instances that share the key folder must not share these: each empties its spool and replays its queue on start.
        InstanceDirectory = configuration["Instance:Directory"] is { Length: > 0 } own
            ? Path.GetFullPath(own, environment.ContentRootPath)
            : Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Directory)) ?? Directory;
    }

    public string Directory { get; }

    /// <summary>This instance's own folder for its private working files (<c>Instance:Directory</c>; by default the key
    /// directory's parent).</summary>
    public string InstanceDirectory { get; }

    /// <summary>A folder in <see cref="InstanceDirectory"/> for the service's private working files (spool, queue).</summary>
    public string SiblingDirectory(string name) => Path.Combine(InstanceDirectory, name);

    /// <summary>The HMAC key that names tokens; created on first start, 32 random bytes.</summary>
    internal byte[] IdentityKey { get; }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(temp);
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}

/// <summary>Token identity by keyed hash, and the encrypted escrow copy kept while an exposure is open.</summary>
public sealed class SecretProtector(KeyStore keys, IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _escrow = dataProtection.CreateProtector("GovernanceDashboard.Escrow.v1");

    /// <summary>The identity of a token whose value is known: <c>s:</c> + hex HMAC-SHA-256 of the whole secret value.</summary>
    internal const string SecretIdentityPrefix = "s:";

    /// <summary>The identity of a finding without a value: <c>u:</c> + hex HMAC of <c>location\n</c> + the place it was seen.</summary>
    internal const string LocationIdentityPrefix = "u:";
    internal const string LocationDomain = "location\n";

    /// <summary>"s:" + hex HMAC-SHA-256 of the whole secret value.</summary>
    public string IdentityOf(string secret) => SecretIdentityPrefix + Hmac(secret);

    /// <summary>"u:" + hex HMAC of the place an unidentified finding was seen.</summary>
    public string IdentityOfLocation(string locationKey) => LocationIdentityPrefix + Hmac(LocationDomain + locationKey);

    /// <summary>A keyed hash for dedupe keys that mix secret identity and location.</summary>
    public string Hmac(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(keys.IdentityKey, Encoding.UTF8.GetBytes(value)));

    /// <summary>The same keyed hashes as a reusable instance, for one thread (saves a native HMAC context per call on hot paths).</summary>
    public KeyedHasher CreateHasher() => new(keys.IdentityKey);

    /// <summary>One secret's escrow copy, protected by Data Protection alone (a one-off; an import uses <see cref="BeginEscrow"/>).</summary>
    public string Escrow(string secret) => _escrow.Protect(secret);

    /// <summary>An escrow for many secrets: one random data key, wrapped by Data Protection once, and AES-GCM per secret.</summary>
    /// <remarks>Measured: Data Protection's per-call key derivation and CBC + HMAC were a fifth of an import's CPU.</remarks>
    public EscrowBatch BeginEscrow() => new(_escrow.CreateProtector(EscrowBatch.DataKeyPurpose));

    /// <summary>The secret of an escrow copy written by <see cref="Escrow"/> or by an <see cref="EscrowBatch"/>.</summary>
    public string Unescrow(string escrow) =>
        EscrowBatch.IsBatchCopy(escrow) ? EscrowBatch.Open(_escrow.CreateProtector(EscrowBatch.DataKeyPurpose), escrow) : _escrow.Unprotect(escrow);
}

/// <summary>The keyed hash of <see cref="SecretProtector"/>, fed piece by piece: appending "a", "\n", "b" gives the same value as
/// <see cref="SecretProtector.Hmac"/> of "a\nb", without building that string. One thread at a time.</summary>
/// <remarks>The pieces are gathered as UTF-8 in one buffer and hashed in one call: a place key has eleven pieces, and each
/// call into the native HMAC costs more than hashing a short piece (measured: 0.85 cpu s per 100,000 records with a call
/// per piece). The buffer may hold a secret: it is cleared after each hash.</remarks>
public sealed class KeyedHasher : IDisposable
{
    private readonly IncrementalHash _hmac;
    private byte[] _pending = new byte[1024];
    private int _length;

    internal KeyedHasher(byte[] key) => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

    /// <summary>Same value as <see cref="SecretProtector.IdentityOf"/>.</summary>
    public string IdentityOf(string secret) => SecretProtector.SecretIdentityPrefix + Append(secret).HexAndReset();

    /// <summary>Same value as <see cref="SecretProtector.IdentityOfLocation"/>.</summary>
    public string IdentityOfLocation(string locationKey) =>
        SecretProtector.LocationIdentityPrefix + Append(SecretProtector.LocationDomain).Append(locationKey).HexAndReset();

    /// <summary>Adds a piece (its UTF-8 bytes); null or empty adds nothing.</summary>
    public KeyedHasher Append(string? text)
    {
        if (string.IsNullOrEmpty(text)) return this;
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_pending.Length - _length < max)
        {
            var larger = new byte[Math.Max(_pending.Length * 2, _length + max)];
            _pending.AsSpan(0, _length).CopyTo(larger);
            CryptographicOperations.ZeroMemory(_pending.AsSpan(0, _length));
            _pending = larger;
        }
        _length += Encoding.UTF8.GetBytes(text, _pending.AsSpan(_length));
        return this;
    }

    /// <summary>The hex of the hash of everything appended since the last call, and a fresh start.</summary>
    public string HexAndReset()
    {
        Span<byte> mac = stackalloc byte[32];
        try
        {
            _hmac.AppendData(_pending, 0, _length);
            _hmac.GetHashAndReset(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(_pending.AsSpan(0, _length));
            _length = 0;
        }
        return Convert.ToHexStringLower(mac);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_pending);
        _hmac.Dispose();
    }
}

/// <summary>Escrow copies of one import's secrets: <c>e2:{wrapped data key}:{base64(nonce | tag | ciphertext)}</c>.</summary>
/// <remarks>The data key exists in clear only in this object's memory (zeroed on dispose); in the store it is wrapped by the
/// Data Protection key ring, which never goes into the database, so the store alone decrypts nothing. Each copy carries the
/// wrapped key, so one row is enough to revoke (no lookup elsewhere), and erasing the row's escrow erases the copy.
/// A random 96-bit nonce per secret under one key stays far below AES-GCM's limit of 2^32 messages per key.</remarks>
public sealed class EscrowBatch : IDisposable
{
    internal const string DataKeyPurpose = "DataKey.v2";
    private const string Prefix = "e2:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    // The ciphertext is bound to this scheme: a copy cannot be replayed as anything else.
    private static readonly byte[] AssociatedData = "GovernanceDashboard.Escrow.v2"u8.ToArray();

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly string _wrappedKey;
    private readonly AesGcm _aes;
    private byte[] _buffer = new byte[1024];

    internal EscrowBatch(IDataProtector dataKeys)
    {
        _wrappedKey = System.Buffers.Text.Base64Url.EncodeToString(dataKeys.Protect(_key));
        _aes = new AesGcm(_key, TagBytes);
    }

    public string Protect(string secret)
    {
        var length = Encoding.UTF8.GetByteCount(secret);
        var size = NonceBytes + TagBytes + length;
        if (_buffer.Length < size) _buffer = new byte[size];
        var sealedCopy = _buffer.AsSpan(0, size);
        var nonce = sealedCopy[..NonceBytes];
        var tag = sealedCopy.Slice(NonceBytes, TagBytes);
        var cipher = sealedCopy[(NonceBytes + TagBytes)..];
        RandomNumberGenerator.Fill(nonce);
        // The plaintext is encoded into the ciphertext's place and encrypted in place, then the buffer is cleared.
        Encoding.UTF8.GetBytes(secret, cipher);
        _aes.Encrypt(nonce, cipher, cipher, tag, AssociatedData);
        var text = string.Concat(Prefix, _wrappedKey, ":", Convert.ToBase64String(sealedCopy));
        CryptographicOperations.ZeroMemory(sealedCopy);
        return text;
    }

    internal static bool IsBatchCopy(string escrow) => escrow.StartsWith(Prefix, StringComparison.Ordinal);

    internal static string Open(IDataProtector dataKeys, string escrow)
    {
        var separator = escrow.IndexOf(':', Prefix.Length);
        if (separator < 0) throw new CryptographicException("Malformed escrow copy.");
        var key = dataKeys.Unprotect(System.Buffers.Text.Base64Url.DecodeFromChars(escrow.AsSpan(Prefix.Length, separator - Prefix.Length)));
        var sealedCopy = Convert.FromBase64String(escrow[(separator + 1)..]);
        if (sealedCopy.Length < NonceBytes + TagBytes) throw new CryptographicException("Malformed escrow copy.");
        var plain = new byte[sealedCopy.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedCopy.AsSpan(0, NonceBytes), sealedCopy.AsSpan(NonceBytes + TagBytes), sealedCopy.AsSpan(NonceBytes, TagBytes), plain, AssociatedData);
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_buffer);
    }
}

public static class SecretsRegistration
{
    public static IHostApplicationBuilder AddSecretProtection(this IHostApplicationBuilder builder)
    {
        var keys = new KeyStore(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(keys);
        var ring = new DirectoryInfo(Path.Combine(keys.Directory, "dataprotection"));
        // Cookies and antiforgery tokens are bound to this deployment's name, so a Development instance's cookie is
        // refused by a Production one even when both use the same key folder.
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName(builder.Configuration, builder.Environment, keys))
            .PersistKeysToFileSystem(ring);
        // The escrow copies are read by every instance and by the command line (whatever environment it runs in), and
        // were written under this fixed name before deployments had their own: they keep it, on the same key ring.
        builder.Services.AddSingleton(_ => new SecretProtector(keys, DataProtectionProvider.Create(ring, b => b.SetApplicationName(EscrowApplicationName))));
        return builder;
    }

    private const string EscrowApplicationName = "GovernanceDashboard";

    /// <summary><c>DataProtection:ApplicationName</c>, or by default the environment's name and the key folder's full path:
    /// instances of one deployment share both; set it explicitly when they reach the same folder by different paths.</summary>
    public static string ApplicationName(IConfiguration configuration, IHostEnvironment environment, KeyStore keys) =>
        configuration["DataProtection:ApplicationName"] is { Length: > 0 } name
            ? name
            : $"GovernanceDashboard/{environment.EnvironmentName}/{keys.Directory}";
}
