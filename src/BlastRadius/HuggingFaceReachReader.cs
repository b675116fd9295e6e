using System.Net.Http.Headers;

namespace GovernanceDashboard.BlastRadius;

/// <summary>What a Hugging Face token can write: <c>GET /api/whoami-v2</c> names the namespaces it may write
/// (<see cref="WritableNamespaces"/>), then for each <c>GET /api/models?author=NS</c>, <c>/api/datasets?author=NS</c> and
/// <c>/api/spaces?author=NS</c> (every page) with their downloads and likes. GET only; the token as Bearer, to <c>HuggingFace:BaseUrl</c>
/// and nowhere else.</summary>
public sealed class HuggingFaceReachReader(HttpClient http, TimeProvider clock)
{
    private static readonly (string Path, ArtefactKind Kind)[] Listings =
        [("api/models", ArtefactKind.Model), ("api/datasets", ArtefactKind.Dataset), ("api/spaces", ArtefactKind.Space)];

    // Organisation roles that may write to the organisation's repositories ("contributor" only to the repositories it created).
    private static readonly HashSet<string> WritingRoles = new(StringComparer.OrdinalIgnoreCase) { "write", "admin" };

    public async Task<ReachReading> ReadAsync(string token, CancellationToken ct = default)
    {
        var calls = new ReachCalls(http, path => Request(path, token), clock);
        var artefacts = new List<ReachedArtefact>();
        try
        {
            IReadOnlyList<string> namespaces = [];
            string? account = null;
            var stop = await calls.ReadAllAsync("api/whoami-v2", who =>
            {
                account = JsonFields.Text(who, "name");
                namespaces = WritableNamespaces(who);
            }, ct);
            if (stop is not null) return Partial(artefacts, stop);
            foreach (var ns in namespaces)
            {
                foreach (var (path, kind) in Listings)
                {
                    stop = await calls.ReadAllAsync($"{path}?author={Uri.EscapeDataString(ns)}", page =>
                    {
                        if (page.ValueKind != JsonValueKind.Array) throw new JsonException("The Hub's listing is not a JSON array.");
                        foreach (var item in page.EnumerateArray())
                            if (JsonFields.Text(item, "id") is { Length: > 0 } id)
                                artefacts.Add(new ReachedArtefact(kind, id, true, Stars: JsonFields.Number(item, "likes"), Downloads: JsonFields.Number(item, "downloads")));
                    }, ct);
                    if (stop is not null) return Partial(artefacts, stop) with { Account = account };
                }
            }
            return new ReachReading(artefacts, Complete: true, Account: account);
        }
        catch (Exception ex) when (PlatformFaults.IsFault(ex) && !ct.IsCancellationRequested)
        {
            return new ReachReading(artefacts, false, Error: PlatformFaults.Describe(ex));
        }
    }

    /// <summary>The namespaces whoami-v2 says the token may write to: with role <c>write</c>, the user's own and every organisation where
    /// the user's role is write or admin; with role <c>fineGrained</c>, each entity (user or organisation) its scoped permissions give
    /// <c>repo.write</c> or <c>repo.content.write</c>, except an organisation where the user's role is known not to write (the token
    /// cannot exceed its user); with role <c>read</c>, none.</summary>
    public static IReadOnlyList<string> WritableNamespaces(JsonElement whoami)
    {
        var user = JsonFields.Text(whoami, "name");
        var roles = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (whoami.ValueKind == JsonValueKind.Object && whoami.TryGetProperty("orgs", out var orgs) && orgs.ValueKind == JsonValueKind.Array)
            foreach (var org in orgs.EnumerateArray())
                if (JsonFields.Text(org, "name") is { } name) roles[name] = JsonFields.Text(org, "roleInOrg");
        var accessToken = whoami.ValueKind == JsonValueKind.Object && whoami.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object
            && auth.TryGetProperty("accessToken", out var at) ? at : default;
        var role = JsonFields.Text(accessToken, "role");
        var result = new List<string>();
        if (string.Equals(role, "write", StringComparison.OrdinalIgnoreCase))
        {
            if (user is not null) result.Add(user);
            result.AddRange(roles.Where(r => r.Value is { } v && WritingRoles.Contains(v)).Select(r => r.Key));
        }
        else if (string.Equals(role, "fineGrained", StringComparison.OrdinalIgnoreCase)
            && accessToken.TryGetProperty("fineGrained", out var fine) && fine.ValueKind == JsonValueKind.Object
            && fine.TryGetProperty("scoped", out var scoped) && scoped.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in scoped.EnumerateArray())
            {
                var entity = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("entity", out var e) ? e : default;
                if (JsonFields.Text(entity, "name") is not { Length: > 0 } name) continue;
                var permissions = entry.TryGetProperty("permissions", out var p) && p.ValueKind == JsonValueKind.Array
                    ? p.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null) : [];
                if (!permissions.Any(x => x is "repo.write" or "repo.content.write")) continue;
                var isOrg = string.Equals(JsonFields.Text(entity, "type"), "org", StringComparison.OrdinalIgnoreCase);
                if (isOrg && roles.TryGetValue(name, out var orgRole) && orgRole is { } known && !WritingRoles.Contains(known)) continue;
                result.Add(name);
            }
        }
        return result.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static ReachReading Partial(List<ReachedArtefact> read, ReachCalls.Stop stop) => new(read, false, stop.RetryAt, stop.Invalid, stop.Error);

    private static HttpRequestMessage Request(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
