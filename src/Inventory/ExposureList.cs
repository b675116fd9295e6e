namespace GovernanceDashboard.Inventory;

/// <summary>Filters for exposure lists (page, report, CSV).</summary>
public sealed record ExposureFilter
{
    public ExposureState? State { get; init; }

    /// <summary>Only remediated and dismissed exposures.</summary>
    public bool ClosedOnly { get; init; }
    public Severity? Severity { get; init; }
    public TokenPlatform? Platform { get; init; }
    public string? Team { get; init; }

    /// <summary>Detected (open ones) or closed (closed ones) at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>Only open exposures past their severity's SLA (the Overview's "past SLA" figure, counted the same way).</summary>
    public bool Breached { get; init; }

    /// <summary>"none": only exposures of tokens without a confirmed owner.</summary>
    public string? Owner { get; init; }

    /// <summary>Only exposures of tokens this person owns (owner self-service isolation).</summary>
    public int? VisibleToPersonId { get; init; }
}

/// <summary>A column the exposure lists sort by, named as the query string names it ("?sort=-detected"); <see cref="Default"/>
/// is each list's own order (open: SLA deadline first; closed: most recently closed first).</summary>
public enum ExposureSortKey { Default, Detected, Severity, Sla, State, Owner, Closed }

/// <summary>One exposure as people read it: its token's mask, its age, the time left to its SLA or its time to remediate.</summary>
public sealed record ExposureRow(int Id, int TokenId, string Mask, TokenPlatform Platform, TokenKind Kind, Severity Severity, ExposureState State,
    DateTimeOffset DetectedAt, DateTimeOffset? ClosedAt, string? Owner, string? Team, double AgeHours, double SlaHours, string? DismissalReason,
    DateTimeOffset? DismissedUntil = null, string? OwnerName = null)
{
    /// <summary>When the exposure passes (or passed) its severity's SLA.</summary>
    public DateTimeOffset SlaDeadline => SlaBreachRule.Deadline(DetectedAt, SlaHours);

    /// <summary>Hours until the SLA runs out (negative: breached); for open exposures.</summary>
    public double HoursLeft => SlaHours - AgeHours;

    /// <summary><see cref="SlaBreachRule"/> at the age the list was read with.</summary>
    public bool Breached => State == ExposureState.Open && SlaBreachRule.Breached(AgeHours, SlaHours);

    /// <summary>Time to remediate, for remediated exposures only (dismissals are excluded from TTR).</summary>
    public double? TtrHours => State == ExposureState.Remediated ? AgeHours : null;
}

/// <summary>Open exposures breached first, then by time left to SLA; closed ones most recent first.</summary>
public sealed class ExposureList(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    public Task<PagedResult<ExposureRow>> ListAsync(ExposureFilter filter, int page = 1, int pageSize = 50, CancellationToken ct = default) =>
        ListAsync(filter, page, pageSize, default, ct);

    public async Task<PagedResult<ExposureRow>> ListAsync(ExposureFilter filter, int page, int pageSize, ListSort<ExposureSortKey> sort, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 5000);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await GovernanceSettings.LoadAsync(db, ct);
        var query = Apply(db.Exposures.AsNoTracking(), filter, settings, now);
        var total = await query.CountAsync(ct);

        static IQueryable<Projected> Project(IQueryable<Exposure> exposures) => exposures.Select(e => new Projected(
            e.Id, e.TokenId, e.Token!.Mask, e.Token.Platform, e.Token.Kind, e.Severity, e.State, e.DetectedAt, e.RemediatedAt, e.DismissedAt,
            e.Token.Owner != null ? e.Token.Owner.Email : null, e.Token.Owner != null ? e.Token.Owner.Team : null, e.DismissalReason, e.DismissedUntil,
            e.Token.Owner != null ? e.Token.Owner.DisplayName : null));
        var skip = (page - 1) * pageSize;
        List<Projected> rows;
        if (sort.Key == ExposureSortKey.Sla || (sort.Key == ExposureSortKey.Default && filter.State == ExposureState.Open))
        {
            // By SLA deadline (detection + the severity's target). Within one severity that is detection order, which the
            // (State, DetectedAt) index serves: take the first skip+take of each severity and merge, rather than sorting
            // every exposure in memory.
            var descending = sort.Descending;
            rows = [];
            foreach (var severity in Enum.GetValues<Severity>())
            {
                var ofSeverity = query.Where(e => e.Severity == severity);
                var byDetection = descending ? ofSeverity.OrderByDescending(e => e.DetectedAt).ThenByDescending(e => e.Id) : ofSeverity.OrderBy(e => e.DetectedAt).ThenBy(e => e.Id);
                rows.AddRange(await Project(byDetection.Take(skip + pageSize)).ToListAsync(ct));
            }
            var byDeadline = rows.Select(e => (Row: e, Deadline: SlaBreachRule.Deadline(e.DetectedAt, settings.SlaHoursFor(e.Severity))));
            rows = (descending ? byDeadline.OrderByDescending(e => e.Deadline).ThenByDescending(e => e.Row.Id) : byDeadline.OrderBy(e => e.Deadline).ThenBy(e => e.Row.Id))
                .Select(e => e.Row).Skip(skip).Take(pageSize).ToList();
        }
        else
        {
            rows = await Project(Order(query, sort).Skip(skip).Take(pageSize)).ToListAsync(ct);
        }
        var items = rows.Select(e =>
        {
            var closed = e.RemediatedAt ?? e.DismissedAt;
            return new ExposureRow(e.Id, e.TokenId, e.Mask, e.Platform, e.Kind, e.Severity, e.State, e.DetectedAt, closed, e.Owner, e.Team,
                ((closed ?? now) - e.DetectedAt).TotalHours, settings.SlaHoursFor(e.Severity), e.DismissalReason, e.DismissedUntil, e.OwnerName);
        }).ToList();
        return new PagedResult<ExposureRow>(items, total, page, pageSize);
    }

    private sealed record Projected(int Id, int TokenId, string Mask, TokenPlatform Platform, TokenKind Kind, Severity Severity, ExposureState State,
        DateTimeOffset DetectedAt, DateTimeOffset? RemediatedAt, DateTimeOffset? DismissedAt, string? Owner, string? Team, string? DismissalReason,
        DateTimeOffset? DismissedUntil, string? OwnerName);

    // Enums are stored by name: order by their place in the enum (Low < Critical; Open, Remediated, Dismissed), not alphabetically.
    private static readonly System.Linq.Expressions.Expression<Func<Exposure, int>> SeverityRank = e =>
        e.Severity == Severity.Low ? 0 : e.Severity == Severity.Medium ? 1 : e.Severity == Severity.High ? 2 : 3;

    private static readonly System.Linq.Expressions.Expression<Func<Exposure, int>> StateRank = e =>
        e.State == ExposureState.Open ? 0 : e.State == ExposureState.Remediated ? 1 : 2;

    /// <summary>The store-side order of every key but the SLA deadline; the id breaks ties so pages never overlap.</summary>
    private static IOrderedQueryable<Exposure> Order(IQueryable<Exposure> query, ListSort<ExposureSortKey> sort)
    {
        var d = sort.Descending;
        IOrderedQueryable<Exposure> ordered = sort.Key switch
        {
            ExposureSortKey.Detected => d ? query.OrderByDescending(e => e.DetectedAt) : query.OrderBy(e => e.DetectedAt),
            // Most severe first reads naturally as "descending"; within a severity the oldest (nearest its deadline) first.
            ExposureSortKey.Severity => (d ? query.OrderByDescending(SeverityRank) : query.OrderBy(SeverityRank)).ThenBy(e => e.DetectedAt),
            ExposureSortKey.State => (d ? query.OrderByDescending(StateRank) : query.OrderBy(StateRank)).ThenByDescending(e => e.DetectedAt),
            // By the name people see; tokens without an owner last either way.
            ExposureSortKey.Owner => (d
                ? query.OrderBy(e => e.Token!.Owner == null).ThenByDescending(e => e.Token!.Owner!.DisplayName).ThenByDescending(e => e.Token!.Owner!.Email)
                : query.OrderBy(e => e.Token!.Owner == null).ThenBy(e => e.Token!.Owner!.DisplayName).ThenBy(e => e.Token!.Owner!.Email)).ThenBy(e => e.DetectedAt),
            ExposureSortKey.Closed => d ? query.OrderByDescending(e => e.RemediatedAt ?? e.DismissedAt) : query.OrderBy(e => e.RemediatedAt ?? e.DismissedAt),
            _ => query.OrderByDescending(e => e.RemediatedAt ?? e.DismissedAt ?? e.DetectedAt),
        };
        return d || sort.Key == ExposureSortKey.Default ? ordered.ThenByDescending(e => e.Id) : ordered.ThenBy(e => e.Id);
    }

    private static IQueryable<Exposure> Apply(IQueryable<Exposure> query, ExposureFilter f, GovernanceSettings settings, DateTimeOffset now)
    {
        if (f.VisibleToPersonId is { } me) query = query.Where(e => e.Token!.OwnerId == me);
        if (f.State is { } state) query = query.Where(e => e.State == state);
        if (f.ClosedOnly) query = query.Where(e => e.State != ExposureState.Open);
        if (f.Severity is { } severity) query = query.Where(e => e.Severity == severity);
        if (f.Platform is { } platform) query = query.Where(e => e.Token!.Platform == platform);
        if (!string.IsNullOrWhiteSpace(f.Team)) query = query.Where(e => e.Token!.Owner != null && e.Token.Owner.Team == f.Team);
        if (f.From is { } from)
            query = query.Where(e => (e.State == ExposureState.Open && e.DetectedAt >= from) || (e.RemediatedAt ?? e.DismissedAt) >= from);
        if (f.To is { } to) query = query.Where(e => e.DetectedAt <= to);
        if (string.Equals(f.Owner?.Trim(), "none", StringComparison.OrdinalIgnoreCase)) query = query.Where(e => e.Token!.OwnerId == null);
        if (f.Breached)
        {
            // As the metrics count it: open, and detected before now minus its severity's SLA target.
            DateTimeOffset Cut(Severity s) => SlaBreachRule.DetectedBefore(now, settings.SlaHoursFor(s));
            var (low, medium, high, critical) = (Cut(Severity.Low), Cut(Severity.Medium), Cut(Severity.High), Cut(Severity.Critical));
            query = query.Where(e => e.State == ExposureState.Open && (
                (e.Severity == Severity.Low && e.DetectedAt < low) || (e.Severity == Severity.Medium && e.DetectedAt < medium)
                || (e.Severity == Severity.High && e.DetectedAt < high) || (e.Severity == Severity.Critical && e.DetectedAt < critical)));
        }
        return query;
    }
}
