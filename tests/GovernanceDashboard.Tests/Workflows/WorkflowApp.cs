using GovernanceDashboard.Auth;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The real app over HTTP with a small directory; each test adds the tokens it needs, so tests do not share state they change.</summary>
public sealed class WorkflowApp : IAsyncLifetime
{
    private int _next;

    public AppFactory Factory { get; } = new();
    public Person Owner { get; private set; } = default!;
    public Person Other { get; private set; } = default!;
    public Person Approver { get; private set; } = default!;
    public Person Approver2 { get; private set; } = default!;
    public Person Analyst { get; private set; } = default!;
    public Person Auditor { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _ = Factory.Server; // starts the host, which migrates the store
        Approver = await PersonAsync("approver", Roles.Approver);
        Approver2 = await PersonAsync("approver2", Roles.Approver);
        Owner = await PersonAsync("owner", manager: Approver);
        Other = await PersonAsync("other", manager: Approver);
        Analyst = await PersonAsync("analyst", Roles.Analyst);
        Auditor = await PersonAsync("auditor", Roles.Auditor);
        await PersonAsync("admin", Roles.Admin);
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public GovernanceDbContext Db() => Factory.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext();

    public async Task<Person> PersonAsync(string name, Roles roles = Roles.None, Person? manager = null)
    {
        await using var db = Db();
        var person = new Person { Email = $"{name}@acme.test", DisplayName = name, Roles = roles, ManagerEmail = manager?.Email, CreatedAt = DateTimeOffset.UtcNow };
        db.People.Add(person);
        await db.SaveChangesAsync();
        return person;
    }

    public async Task<Token> TokenAsync(Person? owner, Person? suggested = null, WriteCapability write = WriteCapability.Write)
    {
        await using var db = Db();
        var n = Interlocked.Increment(ref _next);
        var token = new Token
        {
            Identity = $"s:http-{Guid.NewGuid():N}", Identified = true, Mask = $"hf_…{Guid.NewGuid():N}"[..12] + n, Platform = TokenPlatform.HuggingFace,
            Kind = TokenKind.HuggingFaceUserToken, Organizations = "acme-ai:write", WriteCapability = write, OwnerId = owner?.Id,
            OwnerSource = owner is null ? OwnerSource.None : OwnerSource.Manual, SuggestedOwnerId = suggested?.Id, Status = TokenStatus.Exposed,
            FirstSeenAt = DateTimeOffset.UtcNow.AddDays(-20), LastSeenAt = DateTimeOffset.UtcNow.AddDays(-1),
        };
        token.Exposures.Add(new Exposure { DetectedAt = DateTimeOffset.UtcNow.AddDays(-2), Severity = Severity.High, State = ExposureState.Open });
        db.Tokens.Add(token);
        await db.SaveChangesAsync();
        return token;
    }

    public Task<HttpClient> ClientAsync(Person person) => Factory.SignedInClientAsync(person.Email);

    /// <summary>A client that authenticates with an API key acting as the person (no cookie).</summary>
    public async Task<HttpClient> ApiKeyClientAsync(Person person)
    {
        var created = await ApiKeys.CreateAsync(Factory.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>(), person.Email, "test pipeline", "test");
        var client = Factory.Client();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, created!.Key);
        return client;
    }
}
