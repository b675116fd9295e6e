namespace GovernanceDashboard.Workflows.Ownership;

/// <summary>One ownership rule as listed: the platform account, its owner, and how many tokens it matches.</summary>
public sealed record OwnershipRuleView(int Id, TokenPlatform Platform, string Account, string OwnerEmail, string? OwnerName, bool OwnerActive,
    DateTimeOffset CreatedAt, int Tokens);

/// <summary>The ownership rules an Admin edits by hand (the same rules owners-csv imports): every token of a platform
/// account belongs to a person. Adding one assigns the account's tokens at once (a person's own choice of owner is kept,
/// as on import); removing one stops future assignments and leaves the owners it gave. Every change is audited.</summary>
public sealed class OwnershipRules(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<OwnershipRuleView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.OwnershipRules.AsNoTracking().OrderBy(r => r.Platform).ThenBy(r => r.Account).ToListAsync(ct);
        var emails = rules.Select(r => Person.NormalizeEmail(r.OwnerEmail)).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => emails.Contains(p.Email)).ToDictionaryAsync(p => p.Email, ct);
        // Tokens per account, counted in the store rather than loaded.
        var counts = await db.Tokens.AsNoTracking().Where(t => t.Account != null)
            .GroupBy(t => new { t.Platform, t.Account }).Select(g => new { g.Key.Platform, g.Key.Account, Count = g.Count() })
            .ToListAsync(ct);
        // Rules match accounts case-insensitively (as the import's rule SQL does).
        var byAccount = counts.GroupBy(c => (c.Platform, c.Account!.ToLowerInvariant())).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        return rules.Select(r =>
        {
            var person = people.GetValueOrDefault(Person.NormalizeEmail(r.OwnerEmail));
            return new OwnershipRuleView(r.Id, r.Platform, r.Account, r.OwnerEmail, person?.DisplayName, person?.Active == true, r.CreatedAt,
                byAccount.GetValueOrDefault((r.Platform, r.Account.ToLowerInvariant())));
        }).ToList();
    }

    /// <summary>Adds a rule; returns why not (nothing written), or null.</summary>
    public async Task<string?> AddAsync(TokenPlatform platform, string? account, string? ownerEmail, string actor, CancellationToken ct = default)
    {
        account = account?.Trim();
        if (string.IsNullOrEmpty(account)) return "Name the platform account (user or organisation) whose tokens the rule assigns.";
        if (account.Length > 200) return "The account name is longer than 200 characters.";
        if (string.IsNullOrWhiteSpace(ownerEmail)) return "Choose the owner.";
        var email = Person.NormalizeEmail(ownerEmail);
        var now = clock.GetUtcNow();
        return await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await db.People.AnyAsync(p => p.Email == email && p.Active, ct)) return $"{email} is not an active person of the directory.";
            var existing = await db.OwnershipRules.Where(r => r.Platform == platform).Select(r => r.Account).ToListAsync(ct);
            if (existing.Any(a => string.Equals(a, account, StringComparison.OrdinalIgnoreCase)))
                return $"A rule for {account} on this platform exists already: remove it first to give the account another owner.";
            db.OwnershipRules.Add(new OwnershipRule { Platform = platform, Account = account, OwnerEmail = email, CreatedAt = now });
            await AuditTrail.AppendAsync(db, actor, "ownership-rule.added", $"rule:{platform}/{account}", after: email, at: now, ct: ct);
            await db.SaveChangesAsync(ct);
            await OwnershipAssignment.ApplyRulesAsync(db, null, now, ct);
            await tx.CommitAsync(ct);
            return (string?)null;
        }, ct);
    }

    /// <summary>Removes a rule; false when there is none with this id.</summary>
    public async Task<bool> RemoveAsync(int id, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        return await AuditTrail.WithLockAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.OwnershipRules.FindAsync([id], ct) is not { } rule) return false;
            db.OwnershipRules.Remove(rule);
            await AuditTrail.AppendAsync(db, actor, "ownership-rule.removed", $"rule:{rule.Platform}/{rule.Account}", before: rule.OwnerEmail, at: now, ct: ct);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
    }
}
