using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GovernanceDashboard.Tests.Postgres;

/// <summary>Several instances on one host share the key folder but not their private working folders (<c>Instance:Directory</c>):
/// an instance that starts empties its own spool, never another's.</summary>
public sealed class InstanceDirectoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gd-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Two_instances_sharing_the_key_folder_keep_their_spools_apart()
    {
        var keys = Path.Combine(_root, "shared", "keys");
        var first = Store(keys, Path.Combine(_root, "instance-a"));
        var second = Store(keys, Path.Combine(_root, "instance-b"));
        Assert.Equal(first.IdentityKey, second.IdentityKey);

        var spoolA = new UploadSpool(first, NullLogger<UploadSpool>.Instance);
        var spoolB = new UploadSpool(second, NullLogger<UploadSpool>.Instance);
        await using var upload = await spoolA.SpoolAsync(new MemoryStream([1, 2, 3]), 1024, CancellationToken.None);
        Assert.NotNull(upload);

        // The second instance starts while the first is importing that upload.
        Assert.Equal(0, spoolB.ClearLeftovers());
        Assert.True(File.Exists(upload.Path));
        Assert.StartsWith(Path.Combine(_root, "instance-a"), spoolA.Directory, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_setting_the_working_folders_are_beside_the_key_folder()
    {
        var keys = Store(Path.Combine(_root, "srv", "keys"), instance: null);
        Assert.Equal(Path.Combine(_root, "srv", "spool"), new UploadSpool(keys, NullLogger<UploadSpool>.Instance).Directory);
    }

    private KeyStore Store(string keyDirectory, string? instance) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Secrets:KeyDirectory"] = keyDirectory,
            ["Instance:Directory"] = instance,
        }).Build(),
        new Env(_root));

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed class Env(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "GovernanceDashboard";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
