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
    private int _next;

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
            ["Remediation:Http:TimeoutSeconds"] = "1",
            ["Remediation:Http:Retries"] = "0",
        };
        foreach (var (k, v) in settings ?? []) configuration[k] = v;
        return new RemediationHarness(await TestHost.StartAsync(store, configuration, logs: logs), store, stub, logs);
    }

    public GovernanceDbContext Db() => Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    public static string HfSecret(int n) => $"hf_RemediationTest{n:D6}AbCdEfGhIjKlMnOpQr";

    public static string GhSecret(int n) => $"ghp_RemediationTest{n:D6}AbCdEfGhIjKlMnOp";

    /// <summary>Tokens with an open exposure each and the value in escrow, as an import leaves them.</summary>
    public async Task<List<Exposure>> ExposedAsync(TokenPlatform platform, TokenKind kind, IEnumerable<string?> secrets, int? ownerId = null,
        Severity severity = Severity.High)
    {
        await using var db = Db();
        var exposures = new List<Exposure>();
        foreach (var secret in secrets)
        {
            var n = Interlocked.Increment(ref _next);
            var token = new Token
            {
                Identity = secret is null ? $"u:remediation-{n}" : Secrets.IdentityOf(secret), Identified = secret is not null,
                Mask = secret is null ? TokenMask.NotAvailable : TokenMask.For(secret), Platform = platform, Kind = kind, OwnerId = ownerId,
                Status = TokenStatus.Exposed, FirstSeenAt = DateTimeOffset.UtcNow.AddDays(-3), LastSeenAt = DateTimeOffset.UtcNow.AddDays(-1),
            };
            var exposure = new Exposure
            {
                Token = token, DetectedAt = DateTimeOffset.UtcNow.AddDays(-2), Severity = severity, State = ExposureState.Open,
                Escrow = secret is null ? null : Secrets.Escrow(secret),
            };
            db.Exposures.Add(exposure);
            exposures.Add(exposure);
        }
        await db.SaveChangesAsync();
        return exposures;
    }

    public async Task<Person> PersonAsync(string name, Roles roles = Roles.None, Person? manager = null)
    {
        await using var db = Db();
        var person = new Person { Email = $"{name}@acme.test", DisplayName = name, Roles = roles, ManagerEmail = manager?.Email, CreatedAt = DateTimeOffset.UtcNow };
        db.People.Add(person);
        await db.SaveChangesAsync();
        return person;
    }

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
