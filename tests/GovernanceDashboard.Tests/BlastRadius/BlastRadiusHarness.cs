using GovernanceDashboard.BlastRadius;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Platforms;
using GovernanceDashboard.Secrets;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.BlastRadius;

/// <summary>The app's services as the command line hosts them, on a real SQLite store, with both platforms' base URLs pointed at one
/// stub on 127.0.0.1 and a fake clock (rate-limit pauses are driven by it).</summary>
public sealed class BlastRadiusHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private BlastRadiusHarness(IHost host, TestStore store, PlatformStub stub, CapturedLogs logs, FakeTimeProvider clock) =>
        (_host, Store, Stub, Logs, Clock) = (host, store, stub, logs, clock);

    public TestStore Store { get; }
    public PlatformStub Stub { get; }
    public CapturedLogs Logs { get; }
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => _host.Services;
    public BlastRadiusService Service => Services.GetRequiredService<BlastRadiusService>();

    public static async Task<BlastRadiusHarness> StartAsync()
    {
        var stub = await PlatformStub.StartAsync();
        var store = new TestStore();
        var logs = new CapturedLogs();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var configuration = new Dictionary<string, string?>
        {
            ["HuggingFace:BaseUrl"] = stub.BaseUrl,
            ["GitHub:ApiBaseUrl"] = stub.BaseUrl,
            ["Remediation:Http:TimeoutSeconds"] = "5",
            ["Remediation:Http:Retries"] = "0",
        };
        return new BlastRadiusHarness(await TestHost.StartAsync(store, configuration, clock, logs), store, stub, logs, clock);
    }

    public GovernanceDbContext Db() => Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    /// <summary>A token as an import leaves it: write capability as given, an open exposure with the value in escrow (or, when
    /// <paramref name="revoked"/>, remediated with the escrow erased, as revocation leaves it).</summary>
    public async Task<int> TokenAsync(TokenPlatform platform, string secret, WriteCapability write = WriteCapability.Write, bool revoked = false,
        double blastRadius = 0, bool exposed = true)
    {
        var protector = Services.GetRequiredService<SecretProtector>();
        var now = Clock.GetUtcNow();
        await using var db = Db();
        var token = new Token
        {
            Identity = protector.IdentityOf(secret), Identified = true, Mask = TokenMask.For(secret), Platform = platform,
            Kind = platform == TokenPlatform.GitHub ? TokenKind.GitHubClassicPat : TokenKind.HuggingFaceUserToken, WriteCapability = write,
            Status = revoked ? TokenStatus.Revoked : exposed ? TokenStatus.Exposed : TokenStatus.Active, FirstSeenAt = now.AddDays(-3),
            LastSeenAt = now.AddDays(-1), RevokedAt = revoked ? now.AddHours(-1) : null, BlastRadius = blastRadius,
        };
        db.Tokens.Add(token);
        if (exposed || revoked)
            db.Exposures.Add(new Exposure
            {
                Token = token, DetectedAt = now.AddDays(-2), Severity = Severity.High,
                State = revoked ? ExposureState.Remediated : ExposureState.Open, RemediatedAt = revoked ? now.AddHours(-1) : null,
                Escrow = revoked ? null : protector.Escrow(secret),
            });
        await db.SaveChangesAsync();
        return token.Id;
    }

    public async Task<List<TokenReach>> ReachAsync(int tokenId)
    {
        await using var db = Db();
        return await db.TokenReach.AsNoTracking().Where(r => r.TokenId == tokenId).OrderBy(r => r.FullName).ToListAsync();
    }

    public async Task<Token> ReadTokenAsync(int tokenId)
    {
        await using var db = Db();
        return await db.Tokens.AsNoTracking().SingleAsync(t => t.Id == tokenId);
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await Stub.DisposeAsync();
        await Store.DisposeAsync();
    }
}
