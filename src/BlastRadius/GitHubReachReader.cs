using System.Net.Http.Headers;

namespace GovernanceDashboard.BlastRadius;

/// <summary>What a GitHub token can write: <c>GET /user/repos?per_page=100</c> (every page) keeping the repositories whose
/// <c>permissions.push</c> or <c>admin</c> is true, with their stars and forks, then for each <c>GET /repos/{o}/{r}/releases?per_page=1</c>
/// (a release means it publishes). GET only; the token as Bearer, sent to <c>GitHub:ApiBaseUrl</c> and nowhere else.</summary>
/// <remarks>Packages are not read: GitHub lists them per owner and package type, and only for tokens with <c>read:packages</c>,
/// which a leaked token often lacks; a repository that ships through releases counts through them.</remarks>
public sealed class GitHubReachReader(HttpClient http, TimeProvider clock)
{
    public const int PageSize = 100;

    public async Task<ReachReading> ReadAsync(string token, CancellationToken ct = default)
    {
        var calls = new ReachCalls(http, path => Request(path, token), clock);
        var repos = new List<ReachedArtefact>();
        try
        {
            var stop = await calls.ReadAllAsync($"user/repos?per_page={PageSize}", page =>
            {
                if (page.ValueKind != JsonValueKind.Array) throw new JsonException("GitHub's repository list is not a JSON array.");
                foreach (var repo in page.EnumerateArray())
                {
                    if (JsonFields.Text(repo, "full_name") is not { Length: > 0 } name) continue;
                    var permissions = repo.TryGetProperty("permissions", out var p) ? p : default;
                    if (!JsonFields.Flag(permissions, "push") && !JsonFields.Flag(permissions, "admin")) continue;
                    repos.Add(new ReachedArtefact(ArtefactKind.Repository, name, true, JsonFields.Number(repo, "stargazers_count"),
                        JsonFields.Number(repo, "forks_count")));
                }
            }, ct);
            if (stop is not null) return Partial(repos, stop);

            for (var i = 0; i < repos.Count; i++)
            {
                var publishes = false;
                stop = await calls.ReadAllAsync($"repos/{Path(repos[i].FullName)}/releases?per_page=1",
                    page => publishes = page.ValueKind == JsonValueKind.Array && page.GetArrayLength() > 0, ct);
                // A repository without releases answers [] (200); one whose releases cannot be read (404, 403) publishes nothing we can see.
                if (stop is not null && stop.Status is not (403 or 404)) return Partial(repos, stop);
                repos[i] = repos[i] with { Publishes = publishes };
                if (calls.ExhaustedUntil is { } spent && i < repos.Count - 1)
                    return Partial(repos, new ReachCalls.Stop(spent, false, $"rate limit spent until {spent:u}"));
            }
            return new ReachReading(repos, Complete: true);
        }
        catch (Exception ex) when (PlatformFaults.IsFault(ex) && !ct.IsCancellationRequested)
        {
            return new ReachReading(repos, false, Error: PlatformFaults.Describe(ex));
        }
    }

    private static ReachReading Partial(List<ReachedArtefact> read, ReachCalls.Stop stop) =>
        new(read, false, stop.RetryAt, stop.Invalid, stop.Error);

    // "owner/name" as two escaped segments: a name from the platform never adds a path of its own.
    private static string Path(string fullName) => string.Join('/', fullName.Split('/', 2).Select(Uri.EscapeDataString));

    private static HttpRequestMessage Request(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        return request;
    }
}
