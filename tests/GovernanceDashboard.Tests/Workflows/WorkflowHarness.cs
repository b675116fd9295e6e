using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Metrics;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Postgres;
using GovernanceDashboard.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The app's own services (no web host, no timers) on a real temporary SQLite store, with a clock that stands still until a
/// test moves it: background rules are driven by explicit instants, never by sleeping.</summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;
    private int _next;

    private readonly ProviderStore _store;

    private WorkflowHarness(IHost host, ProviderStore store, FakeTimeProvider clock)
    {
        _host = host;
        _store = store;
        Clock = clock;
    }

    /// <summary>The SQLite store (the tests that open its file or start a second host on it).</summary>
    public TestStore Store => _store.Sqlite ?? throw new InvalidOperationException("This harness runs on PostgreSQL.");
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => _host.Services;

    /// <param name="provider">the store's provider: the workflow classes that run on both derive a PostgreSQL class that passes it</param>
    public static async Task<WorkflowHarness> StartAsync(Dictionary<string, string?>? configuration = null, StoreProvider provider = StoreProvider.Sqlite)
    {
        var store = await ProviderStore.CreateAsync(provider);
        var clock = new FakeTimeProvider(Start);
        var host = await store.StartHostAsync(clock, configuration);
        return new WorkflowHarness(host, store, clock);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public GovernanceDbContext Db() => Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    public async Task<Person> PersonAsync(string name, Roles roles = Roles.None, Person? manager = null, bool active = true)
    {
        await using var db = Db();
        var person = new Person
        {
            Email = $"{name}@acme.test", DisplayName = name, Roles = roles, ManagerEmail = manager?.Email, Active = active, CreatedAt = Clock.GetUtcNow(),
        };
        db.People.Add(person);
        await db.SaveChangesAsync();
        return person;
    }

    public async Task<Token> TokenAsync(Person? owner, WriteCapability write = WriteCapability.Write, string organizations = "acme-ai:write",
        Person? suggested = null, DateTimeOffset? firstSeen = null)
    {
        await using var db = Db();
        var n = Interlocked.Increment(ref _next);
        var token = new Token
        {
            Identity = $"s:test-{n}-{Guid.NewGuid():N}", Identified = true, Mask = $"hf_…t{n:000}", Platform = TokenPlatform.HuggingFace,
            Kind = TokenKind.HuggingFaceUserToken, Account = owner?.Email.Split('@')[0], Organizations = organizations, WriteCapability = write,
            Role = write == WriteCapability.Write ? "write" : "read", OwnerId = owner?.Id, OwnerSource = owner is null ? OwnerSource.None : OwnerSource.Manual,
            OwnerConfirmedAt = owner is null ? null : Clock.GetUtcNow(), SuggestedOwnerId = suggested?.Id, Status = TokenStatus.Active,
            FirstSeenAt = firstSeen ?? Clock.GetUtcNow().AddDays(-30), LastSeenAt = Clock.GetUtcNow().AddDays(-1),
        };
        db.Tokens.Add(token);
        await db.SaveChangesAsync();
        return token;
    }

    public async Task<Exposure> ExposureAsync(Token token, DateTimeOffset detectedAt, Severity severity = Severity.High)
    {
        await using var db = Db();
        var exposure = new Exposure { TokenId = token.Id, DetectedAt = detectedAt, Severity = severity, VerificationAtDetection = Verification.Verified, State = ExposureState.Open };
        db.Exposures.Add(exposure);
        await db.Tokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TokenStatus.Exposed));
        await db.SaveChangesAsync();
        return exposure;
    }

    public async Task SetAsync(Func<Settings.GovernanceSettings, Settings.GovernanceSettings> change)
    {
        await using var db = Db();
        await Settings.GovernanceSettings.SaveAsync(db, change(await Settings.GovernanceSettings.LoadAsync(db)), "test");
    }

    public Task<MetricsSnapshot> MetricsAsync() => Get<MetricsService>().ComputeAsync(Clock.GetUtcNow());

    public async Task<List<AuditEvent>> AuditAsync(string? kind = null)
    {
        await using var db = Db();
        return await db.AuditEvents.AsNoTracking().Where(e => kind == null || e.Kind == kind).OrderBy(e => e.Id).ToListAsync();
    }

    public async Task AssertAuditChainIntactAsync()
    {
        await using var db = Db();
        Assert.Null(await AuditTrail.VerifyAsync(db));
    }

    public async Task<List<Notification>> NotificationsAsync(Person person, string? kind = null)
    {
        await using var db = Db();
        return await db.Notifications.AsNoTracking().Where(n => n.PersonId == person.Id && (kind == null || n.Kind == kind)).OrderBy(n => n.Id).ToListAsync();
    }

    public static Actor As(Person person) => new(person.Id, person.Email, person.Roles);

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _store.DisposeAsync();
    }
}
