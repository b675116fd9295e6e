using GovernanceDashboard.Audit;
using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Ingestion;

/// <summary>Writes people-csv and owners-csv rows: the directory and the ownership rules. Small tables: EF Core directly.</summary>
internal sealed class DirectoryWriter(GovernanceDbContext db, string actor, DateTimeOffset now)
{
    private readonly Dictionary<string, Person> _people = [];
    private readonly Dictionary<(TokenPlatform, string), OwnershipRule> _rules = [];
    private bool _loaded;

    public int PeopleAdded { get; private set; }
    public int PeopleUpdated { get; private set; }
    public int RulesSaved { get; private set; }

    public async Task WriteAsync(PersonRow row, CancellationToken ct)
    {
        await LoadAsync(ct);
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
                || person.Active != row.Active || person.Roles != row.Roles ? 1 : 0;
        }
        // Role grants and departures matter to an auditor one by one; the rest is in the import's own event.
        if (person.Roles != row.Roles && person.Id != 0)
            await AuditTrail.AppendAsync(db, actor, "person.roles", $"person:{person.Email}", person.Roles.ToString(), row.Roles.ToString(), ct: ct);
        if (person.Active && !row.Active && person.Id != 0)
            await AuditTrail.AppendAsync(db, actor, "person.left", $"person:{person.Email}", ct: ct);
        person.DisplayName = row.DisplayName;
        person.Team = row.Team;
        person.ManagerEmail = row.ManagerEmail;
        person.Active = row.Active;
        person.Roles = row.Roles;
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
        foreach (var r in await db.OwnershipRules.ToListAsync(ct)) _rules[(r.Platform, r.Account.ToLowerInvariant())] = r;
    }
}
