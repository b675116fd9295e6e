using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Auth;

/// <summary>Creating and revoking API keys (command line and Settings).</summary>
public static class ApiKeys
{
    public sealed record Created(int Id, string Name, string PersonEmail, string Key);

    public static async Task<Created?> CreateAsync(IDbContextFactory<GovernanceDbContext> factory, string personEmail, string name, string actor, CancellationToken ct = default)
    {
        var email = Person.NormalizeEmail(personEmail);
        return await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var person = await db.People.FirstOrDefaultAsync(p => p.Email == email && p.Active, ct);
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
