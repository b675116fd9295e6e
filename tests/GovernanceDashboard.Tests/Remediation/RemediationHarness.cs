using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Platforms;
using GovernanceDashboard.Secrets;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The app's services as the command line hosts them (no worker: tests send when they choose), on a real SQLite store,
/// with both platforms' base URLs pointed at one stub on 127.0.0.1.</summary>
public sealed class RemediationHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private RemediationHarness(IHost host, TestStore store, PlatformStub stub, CapturedLogs logs) => (_host, Store, Stub, Logs) = (host, store, stub, logs);

    public TestStore Store { get; }
    public PlatformStub Stub { get; }
    public CapturedLogs Logs { get; }
    public IServiceProvider Services => _host.Services;
    public RevocationService Revocations => Services.GetRequiredService<RevocationService>();
    public TokenValidationService Validation => Services.GetRequiredService<TokenValidationService>();
    public SecretProtector Secrets => Services.GetRequiredService<SecretProtector>();
    public HuggingFaceClient HuggingFace => Services.GetRequiredService<HuggingFaceClient>();
    public GitHubClient GitHub => Services.GetRequiredService<GitHubClient>();

    public static async Task<RemediationHarness> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var stub = await PlatformStub.StartAsync();
        var store = new TestStore();
        var logs = new CapturedLogs();
        var configuration = new Dictionary<string, string?>
        {
            ["HuggingFace:BaseUrl"] = stub.BaseUrl,
            ["GitHub:ApiBaseUrl"] = stub.BaseUrl,
            ["Remediation:Http:TimeoutSeconds"] = "5",
            ["Remediation:Http:Retries"] = "0",
        };
        foreach (var (k, v) in settings ?? []) configuration[k] = v;
        return new RemediationHarness(await TestHost.StartAsync(store, configuration, logs: logs), store, stub, logs);
    }

    public GovernanceDbContext Db() => Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    public static string HfSecret(int n) => $"hf_RemediationTest{n:D6}AbCdEfGhIjKlMnOpQr";

    public static string GhSecret(int n) => $"ghp_RemediationTest{n:D6}AbCdEfGhIjKlMnOp";

    /// <summary>Tokens with an open exposure each and the value in escrow, as an import leaves them.</summary>
    public Task<List<Exposure>> ExposedAsync(TokenPlatform platform, TokenKind kind, IEnumerable<string?> secrets, int? ownerId = null,
        Severity severity = Severity.High) => Seed.ExposedAsync(Services, platform, kind, secrets, ownerId, severity);

    public Task<Person> PersonAsync(string name, Roles roles = Roles.None, Person? manager = null) => Seed.PersonAsync(Services, name, roles, manager);

    public static GovernanceDashboard.Workflows.Actor Analyst { get; } = new(GovernanceDashboard.Workflows.Actor.NoPerson, "analyst@acme.test", Roles.Analyst);

    public Task<ImportSummary> ImportAsync(string path, string actor = "analyst@acme.test") =>
        Services.GetRequiredService<ImportService>().ImportFileAsync(path, new ImportRequest(Path.GetFileName(path), null, null, actor));

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Stub.DisposeAsync();
        await Store.DisposeAsync();
    }
}

/// <summary>Scanner files for the remediation tests: TruffleHog v3 lines, one verified finding per secret.</summary>
public static class RemediationFiles
{
    public static string TruffleHog(IEnumerable<string> secrets, string username = "jdoe") => string.Join('\n', secrets.Select((s, i) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            SourceMetadata = new { Data = new { Git = new { repository = "https://github.com/acme/app", commit = $"{i:x40}", file = "app.py", line = i + 1, email = "dev@acme.test" } } },
            SourceType = 16, SourceName = "trufflehog - git", DetectorName = s.StartsWith("hf_", StringComparison.Ordinal) ? "HuggingFace" : "Github",
            Verified = true, Raw = s, ExtraData = new { Username = username },
        }))) + "\n";
}

/// <summary>Rows the remediation tests start from, written with the app's own services (its key ring encrypts the escrow).</summary>
public static class Seed
{
    private static int NextNumber;

    public static async Task<List<Exposure>> ExposedAsync(IServiceProvider services, TokenPlatform platform, TokenKind kind, IEnumerable<string?> secrets,
        int? ownerId = null, Severity severity = Severity.High)
    {
        var protector = services.GetRequiredService<SecretProtector>();
        await using var db = services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();
        var exposures = new List<Exposure>();
        foreach (var secret in secrets)
        {
            var n = Interlocked.Increment(ref NextNumber);
            var token = new Token
            {
                Identity = secret is null ? $"u:remediation-{n}" : protector.IdentityOf(secret), Identified = secret is not null,
                Mask = secret is null ? TokenMask.NotAvailable : TokenMask.For(secret), Platform = platform, Kind = kind, OwnerId = ownerId,
                Status = TokenStatus.Exposed, FirstSeenAt = DateTimeOffset.UtcNow.AddDays(-3), LastSeenAt = DateTimeOffset.UtcNow.AddDays(-1),
            };
            var exposure = new Exposure
            {
                Token = token, DetectedAt = DateTimeOffset.UtcNow.AddDays(-2), Severity = severity, State = ExposureState.Open,
                Escrow = secret is null ? null : protector.Escrow(secret),
            };
            db.Exposures.Add(exposure);
            exposures.Add(exposure);
        }
        await db.SaveChangesAsync();
        return exposures;
    }

    public static async Task<Person> PersonAsync(IServiceProvider services, string name, Roles roles = Roles.None, Person? manager = null)
    {
        await using var db = services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();
        var person = new Person { Email = $"{name}@acme.test", DisplayName = name, Roles = roles, ManagerEmail = manager?.Email, CreatedAt = DateTimeOffset.UtcNow };
        db.People.Add(person);
        await db.SaveChangesAsync();
        return person;
    }

    /// <summary>True when any text cell of any table decrypts, with the app's key ring, to one of the secrets.</summary>
    public static async Task<bool> AnyCellDecryptsToAsync(string connectionString, SecretProtector protector, IReadOnlyCollection<string> secrets)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.GetValue(i) is not string { Length: > 40 } text) continue;
                    try
                    {
                        if (secrets.Contains(protector.Unescrow(text))) return true;
                    }
                    catch (System.Security.Cryptography.CryptographicException) { }
                    catch (FormatException) { }
                }
            }
        }
        return false;
    }

    /// <summary>Polls until the condition holds (a background worker's effect) or the deadline passes; the test then asserts.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < until && !await condition()) await Task.Delay(100);
    }
}
