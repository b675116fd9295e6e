using System.Buffers;
using System.Net;

namespace GovernanceDashboard.Sync;

/// <summary>What one organisation's pull did.</summary>
public sealed record PullResult(string Organization, int Pages, int AlertsRead, int AlertsIngested, int TokensNew, int OccurrencesNew,
    int ExposuresOpened, int ExposuresClosed, DateTimeOffset? HighWaterMark, IReadOnlyList<int> ImportIds);

/// <summary>Pulls an organisation's secret scanning alerts: <c>GET /orgs/{org}/secret-scanning/alerts</c>, 100 a page, newest update
/// first, following the Link header's next page until the alerts are older than the last pull's high-water mark. Each page's
/// newer alerts go through <see cref="AlertIngestion"/>; the mark moves only when the whole pull succeeded, so a pull cut short
/// is redone (and what it had ingested adds nothing the second time).</summary>
public sealed class AlertPuller(GitHubAppConnection gitHub, AlertIngestion ingestion, IDbContextFactory<GovernanceDbContext> dbFactory,
    IConfiguration configuration, TimeProvider clock, ILogger<AlertPuller> log) : IDisposable
{
    public const int PageSize = 100;

    private readonly SemaphoreSlim _pulling = new(1, 1);

    /// <summary>Pulls the given organisation, or every configured one.</summary>
    /// <exception cref="GitHubConfigurationException">nothing to pull (no organisation, no app) or GitHub refused the app.</exception>
    /// <exception cref="GitHubRateLimitedException">GitHub asked to wait; what was ingested stays, the mark does not move.</exception>
    public async Task<IReadOnlyList<PullResult>> PullAsync(string? organization = null, CancellationToken ct = default)
    {
        var organizations = organization is { Length: > 0 } one ? [one.Trim()] : SyncOptions.From(configuration).Organizations;
        if (organizations.Count == 0) throw new GitHubConfigurationException("No organisation to pull: set GitHub:Organizations or name one.");
        if (organizations.FirstOrDefault(o => !SyncOptions.IsValidOwner(o)) is { } bad)
            throw new ArgumentException($"\"{Logging.LogValue.Clean(bad)}\" is not a GitHub organisation name.", nameof(organization));
        if (gitHub.Options.Missing() is { } missing) throw new GitHubConfigurationException(missing);

        await _pulling.WaitAsync(ct);
        try
        {
            var results = new List<PullResult>();
            foreach (var org in organizations) results.Add(await PullOrganizationAsync(org, ct));
            return results;
        }
        finally
        {
            _pulling.Release();
        }
    }

    private async Task<PullResult> PullOrganizationAsync(string org, CancellationToken ct)
    {
        var mark = await HighWaterMarkAsync(org, ct);
        var newest = mark;
        int pages = 0, read = 0, ingested = 0, tokensNew = 0, occurrencesNew = 0, opened = 0, closed = 0;
        var imports = new List<int>();
        try
        {
            Uri? next = new(string.Create(CultureInfo.InvariantCulture,
                $"orgs/{Uri.EscapeDataString(org)}/secret-scanning/alerts?per_page={PageSize}&sort=updated&direction=desc"), UriKind.Relative);
            // No state filter: resolved alerts (revoked, false positive) must reach the store as well as open ones.
            while (next is not null)
            {
                var url = next;
                using var response = await gitHub.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), ct);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var reason = await GitHubAppConnection.ReasonAsync(response, ct);
                    if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.UnprocessableEntity)
                        throw new GitHubConfigurationException($"GitHub refused the alerts of {org} (HTTP {(int)response.StatusCode}): {reason}", (int)response.StatusCode);
                    throw new HttpRequestException($"GitHub answered HTTP {(int)response.StatusCode} for the alerts of {org}: {reason}", null, response.StatusCode);
                }
                pages++;
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                var page = NewerThan(body, mark);
                read += page.Read;
                newest = Max(newest, page.Newest);
                if (page.Kept > 0)
                {
                    ingested += page.Kept;
                    var summary = await ingestion.IngestAsync(page.Json, string.Create(CultureInfo.InvariantCulture, $"github {org} alerts page {pages}"), ct);
                    imports.Add(summary.ImportId);
                    tokensNew += summary.TokensNew;
                    occurrencesNew += summary.OccurrencesNew;
                    opened += summary.ExposuresOpened;
                    closed += summary.ExposuresClosed;
                }
                // Sorted by update, newest first: a page reaching the mark ends the pull.
                next = page.ReachedMark || page.Read == 0 ? null : gitHub.NextPage(response);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RecordAsync(org, null, null, ex.Message, ct);
            throw;
        }
        await RecordAsync(org, newest, ingested, null, ct);
        log.LogInformation("GitHub alerts of {Organization}: {Pages} page(s), {Read} alert(s) read, {Ingested} new or updated since {Mark:u}; {Opened} exposure(s) opened.",
            org, pages, read, ingested, mark, opened);
        return new PullResult(org, pages, read, ingested, tokensNew, occurrencesNew, opened, closed, newest, imports);
    }

    private sealed record Page(byte[] Json, int Read, int Kept, DateTimeOffset? Newest, bool ReachedMark);

    /// <summary>The page's alerts updated after the mark, as a JSON array; the page's own buffer is wiped (it holds the secrets).</summary>
    private static Page NewerThan(byte[] body, DateTimeOffset? mark)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("GitHub's alert list is not a JSON array.");
            var buffer = new ArrayBufferWriter<byte>(body.Length);
            int read = 0, kept = 0;
            DateTimeOffset? newest = null;
            var reached = false;
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var alert in json.RootElement.EnumerateArray())
                {
                    read++;
                    var updated = alert.ValueKind == JsonValueKind.Object && alert.TryGetProperty("updated_at", out var u) && u.TryGetDateTimeOffset(out var at) ? at : (DateTimeOffset?)null;
                    newest = Max(newest, updated);
                    if (mark is { } m && updated is { } when && when <= m)
                    {
                        reached = true;
                        continue;
                    }
                    alert.WriteTo(writer);
                    kept++;
                }
                writer.WriteEndArray();
            }
            var copy = buffer.WrittenSpan.ToArray();
            // Clear() zeroes what was written (the kept alerts and their secrets).
            buffer.Clear();
            return new Page(copy, read, kept, newest, reached);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    private async Task<DateTimeOffset?> HighWaterMarkAsync(string org, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.GitHubSyncStates.AsNoTracking().Where(s => s.Organization == org).Select(s => s.HighWaterMark).FirstOrDefaultAsync(ct);
    }

    private async Task RecordAsync(string org, DateTimeOffset? mark, int? alerts, string? error, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var state = await db.GitHubSyncStates.FindAsync([org], CancellationToken.None);
        if (state is null)
        {
            state = new GitHubSyncState { Organization = org };
            db.GitHubSyncStates.Add(state);
        }
        if (error is null)
        {
            // Another process may have pulled meanwhile: the mark never goes back.
            state.HighWaterMark = Max(state.HighWaterMark, mark);
            state.LastPullAt = now;
            state.LastPullAlerts = alerts ?? 0;
            state.LastError = null;
        }
        else
        {
            state.LastError = error.Length > 500 ? error[..500] : error;
            state.LastErrorAt = now;
        }
        await db.SaveChangesAsync(ct.IsCancellationRequested ? CancellationToken.None : ct);
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    public void Dispose() => _pulling.Dispose();
}
