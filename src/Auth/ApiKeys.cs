using System.Security.Claims;

namespace GovernanceDashboard.Auth;

/// <summary>Creating and revoking API keys (command line and Settings).</summary>
/// <remarks>A key belongs to the person who creates it: in the app nobody creates a key that acts as someone else
/// (an Admin could otherwise approve their own request under another approver's name). Only the operator's command line
/// (<c>apikey create --person</c>), run on the server, names another person.</remarks>
public static class ApiKeys
{
    public sealed record Created(int Id, string Name, string PersonEmail, string Key);

    /// <summary>A key for the signed-in person themselves; null when they are not an active person of the directory.</summary>
    public static async Task<Created?> CreateOwnAsync(IDbContextFactory<GovernanceDbContext> factory, ClaimsPrincipal user, string name, CancellationToken ct = default)
    {
        if (user.PersonIdOf() is not { } personId) return null;
        return await CreateKeyAsync(factory, p => p.Id == personId, name, user.EmailOf(), ct);
    }

    /// <summary>A key for the named person, by the server's operator (the command line, and tests standing in for it);
    /// never called from a page or an endpoint.</summary>
    public static Task<Created?> CreateAsync(IDbContextFactory<GovernanceDbContext> factory, string personEmail, string name, string actor, CancellationToken ct = default)
    {
        var email = Person.NormalizeEmail(personEmail);
        return CreateKeyAsync(factory, p => p.Email == email, name, actor, ct);
    }

    /// <summary>Who created each key, from the audit trail (key id → actor).</summary>
    public static async Task<Dictionary<int, string>> CreatorsAsync(GovernanceDbContext db, CancellationToken ct = default)
    {
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Kind == "apikey.created" && e.Subject != null)
            .Select(e => new { e.Subject, e.Actor }).ToListAsync(ct);
        var creators = new Dictionary<int, string>();
        foreach (var e in events)
            if (int.TryParse(e.Subject!.AsSpan("apikey:".Length), System.Globalization.CultureInfo.InvariantCulture, out var id)) creators[id] = e.Actor;
        return creators;
    }

    /// <summary>A key a person made to act as someone else (possible before keys belonged to their creator): Settings
    /// flags it so an Admin can revoke it. Keys made by the operator's command line are not people's doing.</summary>
    public static bool ActsForAnother(string? creator, string? personEmail) =>
        creator is not null && personEmail is not null && creator.Contains('@', StringComparison.Ordinal)
        && !string.Equals(Person.NormalizeEmail(creator), personEmail, StringComparison.Ordinal);

    private static async Task<Created?> CreateKeyAsync(IDbContextFactory<GovernanceDbContext> factory, System.Linq.Expressions.Expression<Func<Person, bool>> who,
        string name, string actor, CancellationToken ct)
    {
        return await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var person = await db.People.Where(p => p.Active).FirstOrDefaultAsync(who, ct);
            if (person is null) return null;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var key = ApiKeyAuthenticationHandler.NewKey();
            var entity = new ApiKey { PersonId = person.Id, Name = name.Trim(), Prefix = key[..10], Hash = ApiKeyAuthenticationHandler.HashOf(key), CreatedAt = DateTimeOffset.UtcNow };
            db.ApiKeys.Add(entity);
            await db.SaveChangesAsync(ct);
            await AuditTrail.AppendAsync(db, actor, "apikey.created", $"apikey:{entity.Id}", after: new { entity.Name, entity.Prefix, Person = person.Email }, ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new Created(entity.Id, entity.Name, person.Email, key);
        }, ct);
    }

    public static async Task<bool> RevokeAsync(IDbContextFactory<GovernanceDbContext> factory, int id, string actor, CancellationToken ct = default) =>
        await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var key = await db.ApiKeys.FindAsync([id], ct);
            if (key is null || key.RevokedAt is not null) return false;
            key.RevokedAt = DateTimeOffset.UtcNow;
            await AuditTrail.AppendAsync(db, actor, "apikey.revoked", $"apikey:{id}", after: new { key.Name, key.Prefix }, ct: ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
}
