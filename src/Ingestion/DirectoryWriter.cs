namespace GovernanceDashboard.Ingestion;

/// <summary>Writes people-csv and owners-csv rows: the directory and the ownership rules. Small tables: EF Core directly.</summary>
internal sealed class DirectoryWriter(GovernanceDbContext db, string actor, DateTimeOffset now)
{
    private readonly Dictionary<string, Person> _people = [];
    private readonly Dictionary<(TokenPlatform, string), OwnershipRule> _rules = [];
    private bool _loaded;
    private List<(string Email, bool ActiveAdmin)> _before = [];

    public int PeopleAdded { get; private set; }
    public int PeopleUpdated { get; private set; }
    public int RulesSaved { get; private set; }

    public async Task WriteAsync(PersonRow row, CancellationToken ct)
    {
        await LoadAsync(ct);
        // No roles column: roles stay as the directory has them (a new person starts with none).
        var roles = row.Roles ?? (_people.TryGetValue(row.Email, out var known) ? known.Roles : Roles.None);
        if (!_people.TryGetValue(row.Email, out var person))
        {
            person = new Person { Email = row.Email, DisplayName = row.DisplayName, CreatedAt = now };
            db.People.Add(person);
            _people[row.Email] = person;
            PeopleAdded++;
        }
        else
        {
            PeopleUpdated += person.DisplayName != row.DisplayName || person.Team != row.Team || person.ManagerEmail != row.ManagerEmail
                || person.Active != row.Active || person.Roles != roles || (row.GitHubLogin is { } l && (person.GitHubLogin ?? "") != l) ? 1 : 0;
        }
        // Role grants and departures matter to an auditor one by one; the rest is in the import's own event.
        if (person.Roles != roles && person.Id != 0)
            await AuditTrail.AppendAsync(db, actor, "person.roles", $"person:{person.Email}", person.Roles.ToString(), roles.ToString(), ct: ct);
        if (person.Active && !row.Active && person.Id != 0)
            await AuditTrail.AppendAsync(db, actor, "person.left", $"person:{person.Email}", ct: ct);
        person.DisplayName = row.DisplayName;
        person.Team = row.Team;
        person.ManagerEmail = row.ManagerEmail;
        person.Active = row.Active;
        person.Roles = roles;
        // No github_login column: the login stays; an empty cell clears it.
        if (row.GitHubLogin is { } login) person.GitHubLogin = login.Length == 0 ? null : login;
    }

    /// <summary>Throws when the rows written so far leave the directory without the active Admin it had: the import is
    /// then rejected whole (nothing written), whatever else the file held.</summary>
    /// <exception cref="ImportRejectedException">no active Admin would remain</exception>
    public void EnsureAnActiveAdminRemains()
    {
        if (!_loaded) return;
        if (People.LastAdminRule.Refusal(_before, _people.Values.Select(People.LastAdminRule.Of).ToList()) is { } refusal)
            throw new ImportRejectedException(ImportFormats.PeopleCsv, refusal);
    }

    public async Task WriteAsync(OwnershipRow row, CancellationToken ct)
    {
        await LoadAsync(ct);
        var key = (row.Platform, row.Account.ToLowerInvariant());
        if (!_rules.TryGetValue(key, out var rule))
        {
            rule = new OwnershipRule { Platform = row.Platform, Account = row.Account, OwnerEmail = row.OwnerEmail, CreatedAt = now };
            db.OwnershipRules.Add(rule);
            _rules[key] = rule;
            RulesSaved++;
        }
        else if (rule.OwnerEmail != row.OwnerEmail)
        {
            await AuditTrail.AppendAsync(db, actor, "ownership-rule.changed", $"rule:{row.Platform}/{row.Account}", rule.OwnerEmail, row.OwnerEmail, ct: ct);
            rule.OwnerEmail = row.OwnerEmail;
            RulesSaved++;
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (_loaded) return;
        _loaded = true;
        foreach (var p in await db.People.ToListAsync(ct)) _people[p.Email] = p;
        _before = _people.Values.Select(People.LastAdminRule.Of).ToList();
        foreach (var r in await db.OwnershipRules.ToListAsync(ct)) _rules[(r.Platform, r.Account.ToLowerInvariant())] = r;
    }
}
