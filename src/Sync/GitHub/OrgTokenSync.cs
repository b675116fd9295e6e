namespace GovernanceDashboard.Sync.GitHub;

/// <summary>One change a sync found, with the sync's time: new (access granted), changed (permissions or repositories), revoked or
/// expired (GitHub no longer lists the token).</summary>
public sealed record OrgTokenChange(string Change, long GitHubTokenId, int TokenId, string Mask, string Owner, DateTimeOffset At);

/// <summary>What the token part of an organisation's sync did.</summary>
public sealed record OrgTokenSyncResult(int Pages, int Listed, int Skipped, IReadOnlyList<OrgTokenChange> Changes);

/// <summary>How a token synced from GitHub is named and described: one definition for the token list and the token requests.</summary>
public static class OrgTokenNames
{
    /// <summary>The actor of synced changes in the audit trail.</summary>
    public const string Actor = "github-app:org-sync";

    /// <summary>"g:" + the keyed hash of "github-pat:{org}:{token_id}": the identity key names it as it names secrets, and the
    /// domain prefix keeps it apart from any secret's ("s:") or location's ("u:") identity.</summary>
    public static string Identity(SecretProtector secrets, string org, long gitHubTokenId)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return Inventory.TokenSources.GitHubOrgIdentityPrefix + secrets.Hmac(string.Create(CultureInfo.InvariantCulture, $"github-pat:{org.ToLowerInvariant()}:{gitHubTokenId}"));
    }

    /// <summary>The token's name and GitHub id, never a secret (GitHub never gives one).</summary>
    public static string Mask(string? name, long gitHubTokenId)
    {
        var mask = string.Create(CultureInfo.InvariantCulture, $"github_pat #{gitHubTokenId}") + (name is { Length: > 0 } ? $" {Logging.LogValue.Clean(name)}" : "");
        return mask.Length > 64 ? mask[..63] + "…" : mask;
    }

    /// <summary>The inventory token of a GitHub token id, made when first seen (by the token list or a request).</summary>
    public static async Task<Token> FindOrCreateAsync(GovernanceDbContext db, SecretProtector secrets, string org, long gitHubTokenId, string? name,
        string ownerLogin, DateTimeOffset firstSeen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var identity = Identity(secrets, org, gitHubTokenId);
        var token = db.Tokens.Local.FirstOrDefault(t => t.Identity == identity) ?? await db.Tokens.FirstOrDefaultAsync(t => t.Identity == identity, ct);
        if (token is not null) return token;
        token = new Token
        {
            Identity = identity, Identified = false, Mask = Mask(name, gitHubTokenId), Platform = TokenPlatform.GitHub, Kind = TokenKind.GitHubFineGrainedPat,
            Detector = "github-org-sync", Account = ownerLogin, Organizations = org, FirstSeenAt = firstSeen, LastSeenAt = firstSeen, Status = TokenStatus.Active,
        };
        db.Tokens.Add(token);
        return token;
    }

    /// <summary>The person whose people-CSV <c>github_login</c> is <paramref name="login"/> owns the token, unless someone chose its
    /// owner by hand (kept, as an owners-csv rule keeps a person's choice).</summary>
    public static void MapOwner(Token token, IReadOnlyDictionary<string, int> people, string login, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(people);
        if (token.OwnerSource is OwnerSource.Manual or OwnerSource.Api) return;
        if (people.TryGetValue(login, out var person))
        {
            if (token.OwnerId == person) return;
            token.OwnerId = person;
            token.OwnerSource = OwnerSource.Rule;
            token.OwnerConfirmedAt = now;
        }
        else if (token.OwnerSource == OwnerSource.Rule && token.OwnerId is not null)
        {
            token.OwnerId = null;
            token.OwnerSource = OwnerSource.None;
            token.OwnerConfirmedAt = null;
        }
    }

    /// <summary>Active people by lower-cased GitHub login (the first by id when two share one).</summary>
    public static async Task<Dictionary<string, int>> PeopleByLoginAsync(GovernanceDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.People.AsNoTracking().Where(p => p.Active && p.GitHubLogin != null).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.GitHubLogin }).ToListAsync(ct);
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in rows) map.TryAdd(p.GitHubLogin!, p.Id);
        return map;
    }
}

/// <summary>Syncs an organisation's fine-grained PATs (<c>GET /orgs/{org}/personal-access-tokens</c>, and the repositories of those
/// limited to a subset) into the inventory: each is a token (platform GitHub, kind fine-grained PAT) owned by the person whose GitHub
/// login it carries, with write capability by <see cref="WriteScopes.ForGitHubFineGrained"/>. Incremental: only what changed is
/// written and audited; a token no longer listed is revoked (or expired) at the sync's time; tokens are never deleted.</summary>
public sealed class OrgTokenSync(OrgTokenReader reader, IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, TimeProvider clock)
{
    /// <summary>The source of the reach rows the organisation sync writes (an enricher reading with the token writes its own).</summary>
    public const string ReachSource = "sync:github-org";

    public async Task<OrgTokenSyncResult> SyncAsync(string org, CancellationToken ct)
    {
        var o = OrgTokenReader.Org(org);
        var read = (await reader.ReadAllAsync(org, $"orgs/{o}/personal-access-tokens", OrgTokenRecords.Tokens, "fine-grained personal access tokens", ct))!.Value;
        // Every page read, and the repositories of the tokens limited to some: only now is the list complete enough to decide on.
        var repositories = new Dictionary<long, List<RepositoryRecord>>();
        foreach (var pat in read.Items.Where(p => p.RepositorySelection == "subset"))
            repositories[pat.TokenId] = await RepositoriesAsync(org, string.Create(CultureInfo.InvariantCulture, $"orgs/{o}/personal-access-tokens/{pat.PatId}/repositories"),
                "repositories of a fine-grained personal access token", ct);
        // A write token over "all" repositories reaches every repository of the organisation: read that list once.
        if (read.Items.Any(p => p.RepositorySelection == "all" && WriteScopes.ForGitHubFineGrained(p.Permissions.Levels) == WriteCapability.Write))
        {
            var all = await RepositoriesAsync(org, $"orgs/{o}/repos", "repositories of the organisation", ct);
            foreach (var pat in read.Items.Where(p => p.RepositorySelection == "all")) repositories[pat.TokenId] = all;
        }
        var changes = await AuditTrail.WithLockAsync(() => WriteAsync(org, read.Items, repositories, ct), ct);
        return new OrgTokenSyncResult(read.Pages, read.Items.Count, read.Skipped, changes);
    }

    private async Task<List<RepositoryRecord>> RepositoriesAsync(string org, string path, string what, CancellationToken ct) =>
        [.. (await reader.ReadAllAsync(org, path, page => (OrgTokenRecords.Repositories(page).ToList(), 0), what, ct))!.Value.Items
            .DistinctBy(r => r.FullName, StringComparer.OrdinalIgnoreCase)];

    private async Task<List<OrgTokenChange>> WriteAsync(string org, List<PatRecord> pats, Dictionary<long, List<RepositoryRecord>> repositories, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var people = await OrgTokenNames.PeopleByLoginAsync(db, ct);
        var rows = await db.GitHubOrgTokens.Include(r => r.Token).Where(r => r.Organization == org).ToDictionaryAsync(r => r.GitHubTokenId, ct);
        var pending = new List<(string Change, GitHubOrgToken Row, object? Before, object? After)>();
        foreach (var pat in pats.DistinctBy(p => p.TokenId))
        {
            // The names of a subset token's repositories are its record (a change is audited); "all" is said by the selection.
            var repos = pat.RepositorySelection == "subset" && repositories.TryGetValue(pat.TokenId, out var subset)
                ? JsonSerializer.Serialize(subset.Select(r => r.FullName).Order(StringComparer.OrdinalIgnoreCase)) : null;
            var permissions = pat.Permissions.Json;
            if (!rows.TryGetValue(pat.TokenId, out var row))
            {
                var token = await OrgTokenNames.FindOrCreateAsync(db, secrets, org, pat.TokenId, pat.TokenName, pat.OwnerLogin, pat.AccessGrantedAt ?? now, ct);
                row = new GitHubOrgToken
                {
                    Organization = org, GitHubTokenId = pat.TokenId, PatId = pat.PatId, Token = token, OwnerLogin = pat.OwnerLogin, Permissions = permissions,
                    RepositorySelection = pat.RepositorySelection, Repositories = repos, FirstSyncedAt = now,
                };
                db.GitHubOrgTokens.Add(row);
                rows[pat.TokenId] = row;
                pending.Add(("new", row, null, new { org, githubTokenId = pat.TokenId, owner = pat.OwnerLogin, permissions = pat.Permissions.Scopes, pat.RepositorySelection, pat.AccessGrantedAt }));
            }
            else if (row.GoneAt is not null)
            {
                // Listed again (access granted anew): back in the inventory as a new grant.
                row.GoneAt = null;
                row.RevokeRequestedAt = null;
                row.RevokeSentAt = null;
                row.RevokeError = null;
                row.Token!.RevokedAt = null;
                row.Token.RevocationNote = null;
                pending.Add(("new", row, null, new { org, githubTokenId = pat.TokenId, owner = pat.OwnerLogin, permissions = pat.Permissions.Scopes, pat.RepositorySelection, pat.AccessGrantedAt }));
            }
            else if (row.Permissions != permissions || row.RepositorySelection != pat.RepositorySelection || row.Repositories != repos)
            {
                pending.Add(("changed", row, new { permissions = ScopesOf(row.Permissions), row.RepositorySelection, repositories = row.Repositories },
                    new { permissions = pat.Permissions.Scopes, pat.RepositorySelection, repositories = repos }));
            }
            row.PatId = pat.PatId;
            row.OwnerLogin = pat.OwnerLogin;
            row.TokenName = pat.TokenName;
            row.Permissions = permissions;
            row.RepositorySelection = pat.RepositorySelection;
            row.Repositories = repos;
            row.AccessGrantedAt = pat.AccessGrantedAt;
            row.ExpiresAt = pat.ExpiresAt;
            row.LastUsedAt = pat.LastUsedAt;
            row.LastSyncedAt = now;
            Apply(row.Token!, org, pat, people, now);
        }
        var listed = pats.Select(p => p.TokenId).ToHashSet();
        foreach (var row in rows.Values.Where(r => r.GoneAt is null && !listed.Contains(r.GitHubTokenId)))
        {
            row.GoneAt = now;
            var token = row.Token!;
            var expired = row.ExpiresAt is { } end && end <= now;
            if (expired) token.Status = TokenStatus.Expired;
            else
            {
                token.RevokedAt ??= now;
                token.RevocationNote = "GitHub no longer lists its access to the organisation (revoked or deleted)";
                token.RevocationRequestedAt = null;
                token.Status = TokenStatus.Revoked;
            }
            pending.Add((expired ? "expired" : "revoked", row, new { permissions = ScopesOf(row.Permissions) }, new { goneAt = now, row.ExpiresAt }));
        }
        await db.SaveChangesAsync(ct);
        // What each listed token can write feeds its blast radius (no secret needed: GitHub listed the repositories). The
        // listed tokens' reach rows are read in one query, not one per token.
        var listedTokens = pats.Select(p => rows[p.TokenId].TokenId).Distinct().ToList();
        var reach = (await db.TokenReach.Where(r => listedTokens.Contains(r.TokenId)).ToListAsync(ct)).ToLookup(r => r.TokenId);
        foreach (var pat in pats.DistinctBy(p => p.TokenId))
        {
            var token = rows[pat.TokenId].Token!;
            var reached = repositories.GetValueOrDefault(pat.TokenId) ?? [];
            var canWrite = token.WriteCapability == WriteCapability.Write;
            ReachStore.Apply(db, token, [.. reach[token.Id]], ReachSource,
                [.. reached.Select(r => new ReachedArtefact(ArtefactKind.Repository, r.FullName, canWrite, r.Stars, r.Forks))], complete: true, now);
        }
        await db.SaveChangesAsync(ct);
        var changes = new List<OrgTokenChange>();
        foreach (var (change, row, before, after) in pending)
        {
            await AuditTrail.AppendAsync(db, OrgTokenNames.Actor, "token.github-org." + change, WriteScopeService.TokenSubject(row.TokenId), before, after, now, ct);
            changes.Add(new OrgTokenChange(change, row.GitHubTokenId, row.TokenId, row.Token!.Mask, row.OwnerLogin, now));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return changes;
    }

    /// <summary>The listed token's state on its inventory token (only what differs is written: an unchanged token logs no change).</summary>
    private static void Apply(Token token, string org, PatRecord pat, IReadOnlyDictionary<string, int> people, DateTimeOffset now)
    {
        token.Account = pat.OwnerLogin;
        token.Organizations = org;
        token.Scopes = pat.Permissions.Scopes;
        token.WriteCapability = WriteScopes.ForGitHubFineGrained(pat.Permissions.Levels);
        token.ExpiresAt = pat.ExpiresAt;
        if (pat.LastUsedAt is { } used && used > token.LastSeenAt) token.LastSeenAt = used;
        if (pat.AccessGrantedAt is { } granted && granted < token.FirstSeenAt) token.FirstSeenAt = granted;
        OrgTokenNames.MapOwner(token, people, pat.OwnerLogin, now);
        var status = token.StatusAt(now, hasOpenExposure: token.Status == TokenStatus.Exposed);
        if (token.Status != status) token.Status = status;
    }

    private static string ScopesOf(string permissionsJson)
    {
        var categories = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(permissionsJson) ?? [];
        return new PatPermissions(categories.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, string>)c.Value)).Scopes;
    }
}
