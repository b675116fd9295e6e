namespace GovernanceDashboard.Sync.GitHub;

/// <summary>What one organisation's sync did: its tokens (what changed), its requests, its credential authorisations.</summary>
public sealed record OrgSyncResult(string Organization, OrgTokenSyncResult Tokens, PatRequestSyncResult Requests, CredentialAuthorizationSyncResult CredentialAuthorizations,
    int DecisionsSent, int RevocationsSent)
{
    public int New => Tokens.Changes.Count(c => c.Change == "new");
    public int Changed => Tokens.Changes.Count(c => c.Change == "changed");
    public int Gone => Tokens.Changes.Count(c => c.Change is "revoked" or "expired");
}

/// <summary>The GitHub organisation sync (<c>sync github</c>, <c>POST /api/sync/github</c>, the schedule): for each organisation of
/// <c>GitHub:Organizations</c>, its fine-grained PATs, its PAT requests and its credential authorisations, then the decisions and
/// revocations waiting for GitHub. One sync at a time in a process.</summary>
public sealed class GitHubOrgSync(OrgTokenSync tokens, PatRequestSync requests, CredentialAuthorizationSync authorizations, OrgAccessRevoker revoker,
    GitHubAppConnection gitHub, IDbContextFactory<GovernanceDbContext> dbFactory, IConfiguration configuration, TimeProvider clock, ILogger<GitHubOrgSync> log) : IDisposable
{
    private readonly SemaphoreSlim _syncing = new(1, 1);

    /// <exception cref="GitHubConfigurationException">nothing to sync (no organisation, no app) or GitHub refused the app</exception>
    /// <exception cref="GitHubRateLimitedException">GitHub asked to wait; what was written stays</exception>
    /// <exception cref="ArgumentException">the organisation's name is not one GitHub allows</exception>
    public async Task<IReadOnlyList<OrgSyncResult>> SyncAsync(string? organization = null, CancellationToken ct = default)
    {
        var organizations = organization is { Length: > 0 } one ? [one.Trim()] : SyncOptions.From(configuration).Organizations;
        if (organizations.Count == 0) throw new GitHubConfigurationException("No organisation to sync: set GitHub:Organizations or name one.");
        if (organizations.FirstOrDefault(o => !SyncOptions.IsValidOwner(o)) is { } bad)
            throw new ArgumentException($"\"{Logging.LogValue.Clean(bad)}\" is not a GitHub organisation name.", nameof(organization));
        if (gitHub.Options.Missing() is { } missing) throw new GitHubConfigurationException(missing);

        await _syncing.WaitAsync(ct);
        try
        {
            var results = new List<OrgSyncResult>();
            foreach (var org in organizations) results.Add(await SyncOrganizationAsync(org, ct));
            return results;
        }
        finally
        {
            _syncing.Release();
        }
    }

    /// <summary>Sends what waits for GitHub (decisions, revocations, including tokens an attestation flagged); the worker's frequent round.</summary>
    public async Task<(int Decisions, int Revocations)> SendPendingAsync(CancellationToken ct = default)
    {
        await revoker.QueueFlaggedAsync(ct);
        var decisions = await requests.SendDecisionsAsync(ct);
        var revocations = await revoker.SendDueAsync(ct: ct);
        return (decisions, revocations);
    }

    /// <summary>When the next decision or revocation falls due.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        var a = await requests.NextDueAsync(ct);
        var b = await revoker.NextDueAsync(ct);
        return a is null ? b : b is null ? a : (a < b ? a : b);
    }

    private async Task<OrgSyncResult> SyncOrganizationAsync(string org, CancellationToken ct)
    {
        try
        {
            var tokenResult = await tokens.SyncAsync(org, ct);
            var requestResult = await requests.SyncAsync(org, ct);
            var authorizationResult = await authorizations.SyncAsync(org, ct);
            var (decisions, revocations) = await SendPendingAsync(ct);
            await RecordAsync(org, tokenResult.Listed, requestResult.Pending, null);
            var result = new OrgSyncResult(org, tokenResult, requestResult, authorizationResult, decisions, revocations);
            log.LogInformation("GitHub organisation {Organization}: {Listed} fine-grained token(s); {New} new, {Changed} changed, {Gone} gone; {Requests} pending request(s), "
                + "{Queued} put in the approval queue; {Linked} credential authorisation(s) linked.", org, tokenResult.Listed, result.New, result.Changed, result.Gone,
                requestResult.Pending, requestResult.Queued, authorizationResult.Linked);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await RecordAsync(org, null, null, ex.Message);
            throw;
        }
    }

    private async Task RecordAsync(string org, int? tokenCount, int? pending, string? error)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var state = await db.GitHubOrgSyncStates.FindAsync([org], CancellationToken.None);
        if (state is null)
        {
            state = new GitHubOrgSyncState { Organization = org };
            db.GitHubOrgSyncStates.Add(state);
        }
        if (error is null)
        {
            state.LastSyncAt = now;
            state.Tokens = tokenCount ?? 0;
            state.PendingRequests = pending ?? 0;
            state.LastError = null;
        }
        else
        {
            state.LastError = error.Length > 500 ? error[..500] : error;
            state.LastErrorAt = now;
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    public void Dispose() => _syncing.Dispose();
}

/// <summary>Runs the organisation sync at start and every <c>Sync:IntervalMinutes</c> (when the app and an organisation are configured),
/// and sends waiting decisions and revocations every few seconds in between (those queued by a decision or a token page).</summary>
public sealed class GitHubOrgSyncWorker(GitHubOrgSync sync, GitHubAppConnection gitHub, IConfiguration configuration, TimeProvider clock,
    ILogger<GitHubOrgSyncWorker> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = SyncOptions.From(configuration);
        if (options.Organizations.Count == 0 || gitHub.Options.Missing() is not null) return;
        var interval = options.IntervalMinutes > 0 ? TimeSpan.FromMinutes(options.IntervalMinutes) : (TimeSpan?)null;
        var nextSync = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var retryAt = await GitHubRounds.RunAsync(async () =>
            {
                if (interval is { } every && clock.GetUtcNow() >= nextSync)
                {
                    nextSync = clock.GetUtcNow() + every;
                    await sync.SyncAsync(ct: stoppingToken);
                }
                else await sync.SendPendingAsync(stoppingToken);
            }, log, "GitHub organisation sync");
            if (retryAt > nextSync) nextSync = retryAt.Value;
            if (!await GitHubRounds.WaitAsync(Poll, clock, stoppingToken)) return;
        }
    }
}
