namespace GovernanceDashboard.People;

/// <summary>Changes to the people directory made in the app (role assignment), each audited.</summary>
public sealed class PeopleDirectory(IDbContextFactory<GovernanceDbContext> dbFactory)
{
    /// <summary>Sets a person's roles (their security stamp changes with them, ending their sessions' old roles).</summary>
    /// <returns>null when done (or nothing changed); otherwise why not (the last active Admin keeps the role).</returns>
    public async Task<string?> SetRolesAsync(int personId, Roles roles, string actor, CancellationToken ct = default) =>
        await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var person = await db.People.FindAsync([personId], ct) ?? throw new InvalidOperationException($"No person {personId}.");
            if (person.Roles == roles) return null;
            var admins = await db.People.Where(p => p.Active && (p.Roles & Roles.Admin) != 0).Select(p => p.Email).ToListAsync(ct);
            var after = admins.Select(email => (email, email != person.Email || roles.HasFlag(Roles.Admin))).ToList();
            if (LastAdminRule.Refusal(admins.Select(email => (email, true)).ToList(), after) is { } refusal) return refusal;
            var before = person.Roles.ToString();
            person.Roles = roles;
            await AuditTrail.AppendAsync(db, actor, "person.roles", $"person:{person.Email}", before, roles.ToString(), ct: ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return (string?)null;
        }, ct);
}
