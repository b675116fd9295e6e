namespace GovernanceDashboard.Sync.GitHub;

/// <summary>A fine-grained PAT's permissions as GitHub gives them (organization / repository / other: name → level).</summary>
public sealed record PatPermissions(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Categories)
{
    /// <summary>Every (name, level) pair, for the write-scope rule.</summary>
    public IEnumerable<KeyValuePair<string, string>> Levels => Categories.SelectMany(c => c.Value);

    /// <summary>Canonical JSON (categories and names sorted), so an unchanged set of permissions compares equal from sync to sync.</summary>
    public string Json => JsonSerializer.Serialize(new SortedDictionary<string, SortedDictionary<string, string>>(
        Categories.ToDictionary(c => c.Key, c => new SortedDictionary<string, string>(c.Value.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal)),
        StringComparer.Ordinal));

    /// <summary>The inventory token's scopes: "name:level", repository permissions first, each category sorted.</summary>
    public string Scopes => string.Join(',', Categories.OrderBy(c => c.Key == "repository" ? 0 : c.Key == "organization" ? 1 : 2).ThenBy(c => c.Key, StringComparer.Ordinal)
        .SelectMany(c => c.Value.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{p.Value}")));
}

/// <summary>One item of <c>GET /orgs/{org}/personal-access-tokens</c>.</summary>
public sealed record PatRecord(long PatId, long TokenId, string OwnerLogin, string? TokenName, PatPermissions Permissions, string? RepositorySelection,
    DateTimeOffset? AccessGrantedAt, DateTimeOffset? ExpiresAt, bool Expired, DateTimeOffset? LastUsedAt);

/// <summary>One item of <c>GET /orgs/{org}/personal-access-token-requests</c>.</summary>
public sealed record PatRequestRecord(long Id, long TokenId, string OwnerLogin, string? TokenName, PatPermissions Permissions, string? RepositorySelection,
    string? Reason, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);

/// <summary>One item of <c>GET /orgs/{org}/credential-authorizations</c>. <see cref="LastEight"/> lives in memory only.</summary>
/// <summary>A repository a synced token reaches, with the figures the blast radius weighs.</summary>
public sealed record RepositoryRecord(string FullName, long Stars, long Forks);

public sealed record CredentialAuthorizationRecord(long CredentialId, string Login, string? CredentialType, string? LastEight, IReadOnlyList<string> Scopes,
    DateTimeOffset? AuthorizedAt, DateTimeOffset? AccessedAt);

/// <summary>Reads GitHub's pages of organisation tokens, token requests and credential authorisations: JSON in, records out, no store.
/// An item without the fields that name it (ids, owner login) is counted as skipped rather than guessed at.</summary>
public static class OrgTokenRecords
{
    /// <exception cref="JsonException">the page is not a JSON array</exception>
    public static (List<PatRecord> Items, int Skipped) Tokens(JsonElement page) => Items(page, item =>
        Long(item, "id") is { } id && Long(item, "token_id") is { } tokenId && Login(item) is { } login
            ? new PatRecord(id, tokenId, login, Text(item, "token_name", 200), Permissions(item), Selection(item), Time(item, "access_granted_at"),
                Time(item, "token_expires_at"), item.TryGetProperty("token_expired", out var e) && e.ValueKind == JsonValueKind.True, Time(item, "token_last_used_at"))
            : null);

    /// <exception cref="JsonException">the page is not a JSON array</exception>
    public static (List<PatRequestRecord> Items, int Skipped) Requests(JsonElement page) => Items(page, item =>
        Long(item, "id") is { } id && Long(item, "token_id") is { } tokenId && Login(item) is { } login
            ? new PatRequestRecord(id, tokenId, login, Text(item, "token_name", 200), Permissions(item), Selection(item), Text(item, "reason", 1024),
                Time(item, "created_at"), Time(item, "token_expires_at"), Time(item, "token_last_used_at"))
            : null);

    /// <exception cref="JsonException">the page is not a JSON array</exception>
    public static (List<CredentialAuthorizationRecord> Items, int Skipped) CredentialAuthorizations(JsonElement page) => Items(page, item =>
        Long(item, "credential_id") is { } id && Text(item, "login") is { } login && SyncOptions.IsValidOwner(login)
            ? new CredentialAuthorizationRecord(id, login.ToLowerInvariant(), Text(item, "credential_type", 64), Text(item, "token_last_eight", 8),
                item.TryGetProperty("scopes", out var s) && s.ValueKind == JsonValueKind.Array
                    ? [.. s.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)] : [],
                Time(item, "credential_authorized_at"), Time(item, "credential_accessed_at"))
            : null);

    /// <summary>The repositories of a page of <c>GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories</c> (or of
    /// <c>GET /orgs/{org}/repos</c>): full name, stars and forks — what the blast radius weighs.</summary>
    public static IEnumerable<RepositoryRecord> Repositories(JsonElement page) =>
        page.ValueKind == JsonValueKind.Array
            ? page.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object && Text(r, "full_name", 300) is not null)
                .Select(r => new RepositoryRecord(Text(r, "full_name", 300)!, Long(r, "stargazers_count") ?? 0, Long(r, "forks_count") ?? 0))
            : throw new JsonException("GitHub's repositories page is not a JSON array.");

    private static (List<T> Items, int Skipped) Items<T>(JsonElement page, Func<JsonElement, T?> read) where T : class
    {
        if (page.ValueKind != JsonValueKind.Array) throw new JsonException("GitHub's page is not a JSON array.");
        var items = new List<T>();
        var skipped = 0;
        foreach (var item in page.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && read(item) is { } record) items.Add(record);
            else skipped++;
        }
        return (items, skipped);
    }

    private static PatPermissions Permissions(JsonElement item)
    {
        var categories = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (item.TryGetProperty("permissions", out var all) && all.ValueKind == JsonValueKind.Object)
            foreach (var category in all.EnumerateObject().Where(c => c.Value.ValueKind == JsonValueKind.Object))
                categories[category.Name] = category.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        return new PatPermissions(categories);
    }

    /// <summary>The owner's login, lower-cased; one GitHub would not give (the owner rule of <see cref="SyncOptions.IsValidOwner"/>) skips the item.</summary>
    private static string? Login(JsonElement item) =>
        item.TryGetProperty("owner", out var owner) && owner.ValueKind == JsonValueKind.Object && Text(owner, "login") is { } login && SyncOptions.IsValidOwner(login)
            ? login.ToLowerInvariant() : null;

    /// <summary>none, all or subset; anything else is not kept.</summary>
    private static string? Selection(JsonElement item) => Text(item, "repository_selection") switch
    {
        "none" => "none",
        "all" => "all",
        "subset" => "subset",
        _ => null,
    };

    private static long? Long(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    /// <summary>A string field, cut to <paramref name="max"/> characters (the column's width: GitHub's text never fails a save).</summary>
    private static string? Text(JsonElement item, string name, int max = 1000) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? (s.Length > max ? s[..max] : s) : null;

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t : null;
}
