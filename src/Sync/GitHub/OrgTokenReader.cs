using System.Net;

namespace GovernanceDashboard.Sync.GitHub;

/// <summary>Reads a whole paged list of an organisation through the GitHub App connection (100 a page, the Link header's next page),
/// so a sync decides on complete lists only: what GitHub no longer lists is "gone" only when every page was read.</summary>
public sealed class OrgTokenReader(GitHubAppConnection gitHub)
{
    public const int PageSize = 100;

    /// <summary>Every item of the list at <paramref name="path"/> (relative to <c>GitHub:ApiBaseUrl</c>), parsed page by page.</summary>
    /// <returns>the items, the pages read and the items skipped; null when GitHub answered 404 and <paramref name="notFoundIsEmpty"/></returns>
    /// <exception cref="GitHubConfigurationException">GitHub refused (401/403/404/422): a permission the app lacks, an unknown organisation</exception>
    public async Task<(List<T> Items, int Pages, int Skipped)?> ReadAllAsync<T>(string org, string path, Func<JsonElement, (List<T> Items, int Skipped)> parse,
        string what, CancellationToken ct, bool notFoundIsEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var items = new List<T>();
        int pages = 0, skipped = 0;
        Uri? next = new(string.Create(CultureInfo.InvariantCulture, $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}per_page={PageSize}"), UriKind.Relative);
        while (next is not null)
        {
            var url = next;
            using var response = await gitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), ct);
            if (response.StatusCode == HttpStatusCode.NotFound && notFoundIsEmpty && pages == 0) return null;
            await EnsureOkAsync(response, org, what, ct);
            pages++;
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var (read, bad) = parse(json.RootElement);
            items.AddRange(read);
            skipped += bad;
            next = gitHub.NextPage(response);
        }
        return (items, pages, skipped);
    }

    /// <summary>Sends one change (a decision, a revocation) with its JSON body; returns the answer for the caller to judge.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body, CancellationToken ct) =>
        gitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) }, ct);

    /// <summary>Sends queued changes one by one as <paramref name="claim"/> hands them out, until none is due or GitHub says to wait;
    /// returns how many GitHub took.</summary>
    public static async Task<int> DrainAsync<T>(Func<Task<T?>> claim, Func<T, Task<(bool Done, bool Wait)>> send) where T : class
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(send);
        var sent = 0;
        while (await claim() is { } row)
        {
            var (done, wait) = await send(row);
            if (done) sent++;
            if (wait) break;
        }
        return sent;
    }

    /// <summary>Sends one queued change (a decision, a revocation): GitHub's answer goes to <paramref name="answered"/>; a rate limit,
    /// an outage or any other failure (but a cancellation) to <paramref name="retry"/> with the error and GitHub's time when it gave
    /// one, so the change keeps its place in the queue. Returns (done, wait: the queue should pause).</summary>
    public async Task<(bool Done, bool Wait)> PostQueuedAsync(string path, object body, Func<HttpResponseMessage, Task<(bool Done, bool Wait)>> answered,
        Func<string, DateTimeOffset?, Task<bool>> retry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answered);
        ArgumentNullException.ThrowIfNull(retry);
        try
        {
            using var response = await PostAsync(path, body, ct);
            return await answered(response);
        }
        catch (GitHubRateLimitedException ex)
        {
            return (false, await retry(ex.Message, ex.RetryAt));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (false, await retry($"{ex.GetType().Name}: {ex.Message}", null));
        }
    }

    /// <summary>GitHub's answer as the sync's exceptions: refusals are the configuration's (exit 2), the rest is GitHub being unreachable.</summary>
    public static async Task EnsureOkAsync(HttpResponseMessage response, string org, string what, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode == HttpStatusCode.OK) return;
        var reason = await GitHubAppConnection.ReasonAsync(response, ct);
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.UnprocessableEntity)
            throw new GitHubConfigurationException($"GitHub refused the {what} of {org} (HTTP {(int)response.StatusCode}): {reason}", (int)response.StatusCode);
        throw new HttpRequestException($"GitHub answered HTTP {(int)response.StatusCode} for the {what} of {org}: {reason}", null, response.StatusCode);
    }

    /// <summary>An organisation's path segment.</summary>
    public static string Org(string org) => Uri.EscapeDataString(org);
}
