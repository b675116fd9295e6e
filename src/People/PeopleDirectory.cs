using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.People;

/// <summary>Changes to the people directory made in the app (role assignment), each audited.</summary>
public sealed class PeopleDirectory(IDbContextFactory<GovernanceDbContext> dbFactory)
{
    public async Task SetRolesAsync(int personId, Roles roles, string actor, CancellationToken ct = default) =>
        await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var person = await db.People.FindAsync([personId], ct) ?? throw new InvalidOperationException($"No person {personId}.");
            if (person.Roles == roles) return 0;
            var before = person.Roles.ToString();
            person.Roles = roles;
            await AuditTrail.AppendAsync(db, actor, "person.roles", $"person:{person.Email}", before, roles.ToString(), ct: ct);
            return await db.SaveChangesAsync(ct);
        }, ct);
}
