namespace GovernanceDashboard.Workflows.Notifications;

/// <summary>One message as the person sees it in the app.</summary>
public sealed record NotificationView(long Id, string Kind, string Subject, string Body, string? Link, DateTimeOffset CreatedAt, bool Read);

/// <summary>The outbox: workflows add messages in the same SaveChanges as the change they announce; people read them in the
/// app and <see cref="SmtpOutboxSender"/> mails them when SMTP is configured.</summary>
public sealed class Notifier(IDbContextFactory<GovernanceDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Adds a message to the context; the caller's SaveChanges writes it with the change it is about.</summary>
    public static void Add(GovernanceDbContext db, int personId, string kind, string subject, string body, string? link, DateTimeOffset now)
    {
        if (personId <= 0) return;
        db.Notifications.Add(new Notification
        {
            PersonId = personId, Kind = kind, Subject = Clip(subject, 300), Body = Clip(body, 4000), Link = link, CreatedAt = now,
        });
    }

    public static void AddMany(GovernanceDbContext db, IEnumerable<int> personIds, string kind, string subject, string body, string? link, DateTimeOffset now)
    {
        foreach (var id in personIds.Distinct()) Add(db, id, kind, subject, body, link, now);
    }

    /// <summary>Active approvers; the admins when the directory has no approver, so a request is never announced to nobody.</summary>
    public static async Task<List<int>> ApproverIdsAsync(GovernanceDbContext db, CancellationToken ct)
    {
        var approvers = await db.People.Where(p => p.Active && (p.Roles & Roles.Approver) != 0).Select(p => p.Id).ToListAsync(ct);
        return approvers.Count > 0 ? approvers : await AdminIdsAsync(db, ct);
    }

    public static Task<List<int>> AdminIdsAsync(GovernanceDbContext db, CancellationToken ct) =>
        db.People.Where(p => p.Active && (p.Roles & Roles.Admin) != 0).Select(p => p.Id).ToListAsync(ct);

    public static Task<List<int>> AnalystIdsAsync(GovernanceDbContext db, CancellationToken ct) =>
        db.People.Where(p => p.Active && (p.Roles & (Roles.Analyst | Roles.Admin)) != 0).Select(p => p.Id).ToListAsync(ct);

    /// <summary>The active manager of a person, from the directory's manager email.</summary>
    public static async Task<Person?> ManagerOfAsync(GovernanceDbContext db, int personId, CancellationToken ct)
    {
        var managerEmail = await db.People.Where(p => p.Id == personId).Select(p => p.ManagerEmail).FirstOrDefaultAsync(ct);
        if (string.IsNullOrWhiteSpace(managerEmail)) return null;
        var email = Person.NormalizeEmail(managerEmail);
        return await db.People.FirstOrDefaultAsync(p => p.Email == email && p.Active && p.Id != personId, ct);
    }

    public async Task<IReadOnlyList<NotificationView>> ForPersonAsync(int personId, int take = 50, bool unreadOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Notifications.AsNoTracking().Where(n => n.PersonId == personId);
        if (unreadOnly) query = query.Where(n => n.ReadAt == null);
        return await query.OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 500))
            .Select(n => new NotificationView(n.Id, n.Kind, n.Subject, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(ct);
    }

    public async Task<int> UnreadCountAsync(int personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.PersonId == personId && n.ReadAt == null, ct);
    }

    /// <summary>Marks one of the person's own messages read; another person's message is "not found".</summary>
    public async Task<bool> MarkReadAsync(int personId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        DateTimeOffset? now = clock.GetUtcNow();
        return await db.Notifications.Where(n => n.Id == id && n.PersonId == personId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct) > 0;
    }

    public async Task<int> MarkAllReadAsync(int personId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        DateTimeOffset? now = clock.GetUtcNow();
        return await db.Notifications.Where(n => n.PersonId == personId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    /// <summary>Tells the owner of a token that it was found exposed. Call after an import commits; idempotent.</summary>
    public Task<int> NotifyExposureOpenedAsync(int tokenId, CancellationToken ct = default) => NotifyExposuresOpenedAsync([tokenId], ct);

    /// <summary>Tells each owner about every open exposure of the given tokens they have not been told about yet.</summary>
    /// <remarks>Idempotent: one message per exposure, recognised by its link, so an import may pass every token it touched.</remarks>
    public async Task<int> NotifyExposuresOpenedAsync(IEnumerable<int> tokenIds, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var added = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Chunks keep the IN list within SQLite's parameter limit on imports that touch many tokens.
        foreach (var chunk in tokenIds.Distinct().Chunk(500))
        {
            var open = await db.Exposures.AsNoTracking()
                .Where(e => chunk.Contains(e.TokenId) && e.State == ExposureState.Open && e.Token!.OwnerId != null && e.Token.Owner!.Active)
                .Select(e => new { e.Id, e.TokenId, e.Severity, e.DetectedAt, e.Token!.Mask, OwnerId = e.Token.OwnerId!.Value })
                .ToListAsync(ct);
            if (open.Count == 0) continue;
            var links = open.Select(e => ExposureLink(e.TokenId, e.Id)).ToList();
            var told = (await db.Notifications.AsNoTracking()
                .Where(n => n.Kind == NotificationKinds.ExposureOpened && n.Link != null && links.Contains(n.Link))
                .Select(n => n.Link!).ToListAsync(ct)).ToHashSet();
            foreach (var e in open.Where(e => !told.Contains(ExposureLink(e.TokenId, e.Id))))
            {
                Add(db, e.OwnerId, NotificationKinds.ExposureOpened, $"Your token {e.Mask} was found exposed",
                    $"A scan found your token {e.Mask} exposed (severity {e.Severity}, detected {e.DetectedAt:yyyy-MM-dd HH:mm} UTC). " +
                    "Revoke or rotate it, then record the time on My tokens.", ExposureLink(e.TokenId, e.Id), now);
                added++;
            }
            await db.SaveChangesAsync(ct);
        }
        return added;
    }

    public static string ExposureLink(int tokenId, long exposureId) =>
        FormattableString.Invariant($"/my-tokens?token={tokenId}&exposure={exposureId}");

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
