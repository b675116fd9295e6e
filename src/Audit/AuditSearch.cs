namespace GovernanceDashboard.Audit;

/// <summary>Filters for the audit trail: a person (as actor or subject), a token, a kind (or a family such as "writescope"), a period.</summary>
public sealed record AuditFilter
{
    public string? Person { get; init; }
    public int? TokenId { get; init; }
    public string? Kind { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Oldest first rather than newest first (the Audit page's "When" header). The trail is append-only, so its ids
    /// are its time order: sorting by id keeps the primary key's index and orders events recorded in the same instant.</summary>
    public bool OldestFirst { get; init; }
}

/// <summary>Reads the audit trail for the Audit page, its API and its CSV export; never writes.</summary>
public sealed class AuditSearch(IDbContextFactory<GovernanceDbContext> dbFactory)
{
    public const int MaxExportRows = 100_000;

    public async Task<PagedResult<AuditEvent>> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 500);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await ApplyAsync(db, filter, ct);
        var total = await query.CountAsync(ct);
        var ordered = filter.OldestFirst ? query.OrderBy(e => e.Id) : query.OrderByDescending(e => e.Id);
        var items = await ordered.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new PagedResult<AuditEvent>(items, total, page, pageSize);
    }

    /// <summary>The events as sentences people read: actors by display name, tokens by mask, people by name (two lookups per page).</summary>
    public async Task<IReadOnlyList<AuditEntry>> DescribeAsync(IReadOnlyList<AuditEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokenIds = events.Select(e => AuditText.TokenId(e.Subject)).OfType<int>().Distinct().ToList();
        var masks = await db.Tokens.AsNoTracking().Where(t => tokenIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Mask, ct);
        var emails = events.Select(e => e.Actor)
            .Concat(events.Select(e => e.Subject).Where(s => s?.StartsWith("person:", StringComparison.Ordinal) == true).Select(s => s![7..]))
            .Select(Person.NormalizeEmail).Distinct().ToList();
        var names = await db.People.AsNoTracking().Where(p => emails.Contains(p.Email)).ToDictionaryAsync(p => p.Email, p => p.DisplayName, ct);
        string Name(string email) => names.GetValueOrDefault(Person.NormalizeEmail(email)) ?? email;
        string? Subject(string? subject) => subject switch
        {
            null => null,
            _ when AuditText.TokenId(subject) is { } id => masks.GetValueOrDefault(id) ?? subject,
            _ when subject.StartsWith("person:", StringComparison.Ordinal) => Name(subject[7..]),
            _ when subject.StartsWith("setting:", StringComparison.Ordinal) => subject[8..],
            _ => subject,
        };
        return events.Select(e => new AuditEntry(e, AuditText.Sentence(e, Name(e.Actor), Subject(e.Subject)))).ToList();
    }

    /// <summary>The kinds present in the trail, for the filter's choices.</summary>
    public async Task<IReadOnlyList<string>> KindsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEvents.AsNoTracking().Select(e => e.Kind).Distinct().OrderBy(k => k).ToListAsync(ct);
    }

    /// <summary>The matching events, oldest first, as CSV (through the one CSV writer, so formulas are neutralised).</summary>
    public async Task<string> CsvAsync(AuditFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await ApplyAsync(db, filter, ct);
        var rows = await query.OrderBy(e => e.Id).Take(MaxExportRows).ToListAsync(ct);
        return Csv.Write(["id", "at", "actor", "kind", "subject", "before", "after", "hash"],
            rows.Select(e => new object?[] { e.Id, e.At, e.Actor, e.Kind, e.Subject, e.Before, e.After, e.Hash }));
    }

    private static async Task<IQueryable<AuditEvent>> ApplyAsync(GovernanceDbContext db, AuditFilter f, CancellationToken ct)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Person))
        {
            var email = Person.NormalizeEmail(f.Person);
            var id = await db.People.Where(p => p.Email == email).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
            var byEmail = "person:" + email;
            var byId = id is { } i ? "person:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) : byEmail;
            query = query.Where(e => e.Actor == email || e.Subject == byEmail || e.Subject == byId);
        }
        if (f.TokenId is { } token)
        {
            var subject = "token:" + token.ToString(System.Globalization.CultureInfo.InvariantCulture);
            query = query.Where(e => e.Subject == subject);
        }
        if (!string.IsNullOrWhiteSpace(f.Kind))
        {
            var kind = f.Kind.Trim();
            var family = kind.TrimEnd('.', '*') + ".";
            query = query.Where(e => e.Kind == kind || e.Kind.StartsWith(family));
        }
        if (f.From is { } from) query = query.Where(e => e.At >= from);
        if (f.To is { } to) query = query.Where(e => e.At <= to);
        return query;
    }
}
