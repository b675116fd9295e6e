using System.Security.Cryptography;
using System.Text;
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
    }

    public string Directory { get; }

    /// <summary>A folder beside the key directory (its sibling), for the service's private working files (spool, queue).</summary>
    public string SiblingDirectory(string name) =>
        Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Directory)) ?? Directory, name);

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

    /// <summary>"s:" + hex HMAC-SHA-256 of the whole secret value.</summary>
    public string IdentityOf(string secret) => "s:" + Hmac(secret);

    /// <summary>"u:" + hex HMAC of the place an unidentified finding was seen.</summary>
    public string IdentityOfLocation(string locationKey) => "u:" + Hmac("location\n" + locationKey);

    /// <summary>A keyed hash for dedupe keys that mix secret identity and location.</summary>
    public string Hmac(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(keys.IdentityKey, Encoding.UTF8.GetBytes(value)));

    /// <summary>The keyed hash of <see cref="Hmac"/> as a reusable instance, for one writer on one thread (saves a
    /// native HMAC context per call on hot paths); feed it the same UTF-8 bytes to get the same value.</summary>
    internal IncrementalHash CreateHmac() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, keys.IdentityKey);

    public string Escrow(string secret) => _escrow.Protect(secret);

    public string Unescrow(string escrow) => _escrow.Unprotect(escrow);
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
