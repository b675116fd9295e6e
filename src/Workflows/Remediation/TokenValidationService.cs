using System.Threading.RateLimiting;

namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>What a "check now" came to.</summary>
public enum CheckOutcome { Checked, Disabled, NotFound, Forbidden, NotCheckable, RateLimited, PlatformFailed }

/// <summary>The answer of a token check, without the secret: valid (and what the platform says of it), invalid (→ remediated), or why not checked.</summary>
public sealed record TokenCheckResult(int TokenId, CheckOutcome Outcome, string? Message, bool? Valid = null, string? Account = null, string? Role = null,
    IReadOnlyList<string>? Scopes = null, WriteCapability WriteCapability = WriteCapability.Unknown, DateTimeOffset? ExpiresAt = null,
    IReadOnlyList<int>? ExposuresRemediated = null, DateTimeOffset? CheckedAt = null);

/// <summary>Validation: asks the platform about a token with its escrowed value (Hugging Face whoami-v2, GitHub GET /user). A 401 is
/// evidence of revocation at the check's time; a valid answer enriches the token. Off unless <c>Remediation:Validation:Enabled</c>;
/// rate limited per platform; every call audited without the secret.</summary>
public sealed class TokenValidationService : IDisposable
{
    private readonly IDbContextFactory<GovernanceDbContext> _dbFactory;
    private readonly SecretProtector _secrets;
    private readonly HuggingFaceClient _huggingFace;
    private readonly GitHubClient _gitHub;
    private readonly TimeProvider _clock;
    private readonly ValidationOptions _options;
    private readonly Dictionary<TokenPlatform, RateLimiter> _limiters;

    public TokenValidationService(IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, HuggingFaceClient huggingFace, GitHubClient gitHub,
        TimeProvider clock, IOptions<RemediationOptions> options)
    {
        (_dbFactory, _secrets, _huggingFace, _gitHub, _clock, _options) = (dbFactory, secrets, huggingFace, gitHub, clock, options.Value.Validation);
        var perMinute = Math.Max(1, _options.PerMinute);
        _limiters = new[] { TokenPlatform.HuggingFace, TokenPlatform.GitHub }.ToDictionary(p => p, RateLimiter (_) => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute, TokensPerPeriod = perMinute, ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0, QueueProcessingOrder = QueueProcessingOrder.OldestFirst, AutoReplenishment = true,
        }));
    }

    public bool Enabled => _options.Enabled;

    /// <summary>"Check now" by an analyst or admin.</summary>
    public Task<TokenCheckResult> CheckNowAsync(Actor actor, int tokenId, CancellationToken ct = default) =>
        actor.ManagesInventory
            ? CheckAsync(tokenId, actor.Email, ct)
            : Task.FromResult(new TokenCheckResult(tokenId, CheckOutcome.Forbidden, "Only analysts and admins check tokens against their platform."));

    /// <summary>Checks one token with the escrowed value of its open exposure, on behalf of <paramref name="actorName"/>.</summary>
    public async Task<TokenCheckResult> CheckAsync(int tokenId, string actorName, CancellationToken ct = default)
    {
        if (!_options.Enabled)
            return new TokenCheckResult(tokenId, CheckOutcome.Disabled, "Validation is turned off (setting Remediation:Validation:Enabled).");
        string? escrow;
        TokenPlatform platform;
        TokenKind kind;
        await using (var db = await _dbFactory.CreateDbContextAsync(ct))
        {
            var token = await db.Tokens.AsNoTracking().Where(t => t.Id == tokenId).WithEscrowCopy()
                .Select(c => new { c.Token.Platform, c.Token.Kind, c.Escrow }).FirstOrDefaultAsync(ct);
            if (token is null) return new TokenCheckResult(tokenId, CheckOutcome.NotFound, "No such token.");
            (escrow, platform, kind) = (token.Escrow, token.Platform, token.Kind);
        }
        if (platform is not (TokenPlatform.HuggingFace or TokenPlatform.GitHub))
            return new TokenCheckResult(tokenId, CheckOutcome.NotCheckable, "Only Hugging Face and GitHub tokens can be checked.");
        if (escrow is null)
            return new TokenCheckResult(tokenId, CheckOutcome.NotCheckable,
                "No open exposure with an escrowed value: the value was never given by a scanner, or the exposure is closed and its copy erased.");
        string secret;
        try
        {
            secret = _secrets.Unescrow(escrow);
        }
        catch (CryptographicException)
        {
            return new TokenCheckResult(tokenId, CheckOutcome.NotCheckable, "The escrowed value cannot be decrypted with this installation's keys.");
        }

        // No waiting in line: a person pressing "check now" hears at once that the platform's budget is spent.
        using (var lease = _limiters[platform].AttemptAcquire(1))
        {
            if (!lease.IsAcquired)
                return new TokenCheckResult(tokenId, CheckOutcome.RateLimited, "Too many checks against this platform; try again in a minute.");
        }

        var at = _clock.GetUtcNow();
        var answer = platform == TokenPlatform.HuggingFace ? await _huggingFace.WhoAmIAsync(secret, ct) : await _gitHub.GetUserAsync(secret, kind, ct);
        return await RecordAsync(tokenId, platform, answer, at, actorName, ct);
    }

    private async Task<TokenCheckResult> RecordAsync(int tokenId, TokenPlatform platform, TokenCheckAnswer answer, DateTimeOffset at, string actorName,
        CancellationToken ct) => await AuditTrail.WithLockAsync(async () =>
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.FirstAsync(t => t.Id == tokenId, ct);
        IReadOnlyList<int> remediated = [];
        if (answer.Valid == false)
        {
            // The platform no longer accepts the token: evidence of revocation at the check's time (the earliest evidence wins).
            var exposures = await db.Exposures.Where(e => e.TokenId == tokenId && e.State != ExposureState.Dismissed).ToListAsync(ct);
            remediated = RevocationRules.Apply(token, exposures, at, $"the {RevocationService.PlatformName(platform)} API answered 401 (invalid) to a check",
                "validation:" + platform.ToString().ToLowerInvariant());
        }
        else if (answer.Valid == true)
        {
            token.Account = answer.Account ?? token.Account;
            if (answer.Organizations is { Count: > 0 } orgs) token.Organizations = string.Join(", ", orgs);
            if (answer.Scopes is { } scopes) token.Scopes = scopes.Count == 0 ? null : string.Join(", ", scopes);
            token.Role = answer.Role ?? token.Role;
            if (answer.WriteCapability != WriteCapability.Unknown) token.WriteCapability = answer.WriteCapability;
            if (answer.ExpiresAt is { } expires) token.ExpiresAt = expires;
        }
        await AuditTrail.AppendAsync(db, actorName, "token.validated", WriteScopeService.TokenSubject(tokenId), after: new
        {
            platform = platform.ToString(), valid = answer.Valid, status = answer.Status, error = answer.Error, account = answer.Account,
            tokenName = answer.TokenName, role = answer.Role, scopes = answer.Scopes, write = answer.WriteCapability.ToString(), expiresAt = answer.ExpiresAt,
            exposuresRemediated = remediated,
        }, at: at, ct: ct);
        await db.SaveChangesAsync(ct);
        var outcome = answer.Valid is null ? CheckOutcome.PlatformFailed : CheckOutcome.Checked;
        var message = answer.Valid switch
        {
            true => "The platform accepts the token: it is live.",
            false => "The platform rejects the token (401): it is revoked or invalid; its open exposure is remediated.",
            _ => "The platform's answer proves nothing: " + answer.Error,
        };
        return new TokenCheckResult(tokenId, outcome, message, answer.Valid, answer.Account, answer.Role, answer.Scopes, answer.WriteCapability,
            answer.ExpiresAt, remediated, at);
    }, ct);

    /// <summary>One periodic pass: checks up to <see cref="ValidationOptions.MaxPerPass"/> tokens with an open, escrowed exposure,
    /// continuing after the last token the previous pass checked.</summary>
    public async Task<int> RunPassAsync(CancellationToken ct = default)
    {
        if (!_options.Enabled) return 0;
        List<int> tokenIds;
        await using (var db = await _dbFactory.CreateDbContextAsync(ct))
        {
            var after = _cursor;
            var open = db.Exposures.AsNoTracking().Where(EscrowCopyRule.HoldsCopy)
                .Where(e => e.Token!.Platform == TokenPlatform.HuggingFace || e.Token.Platform == TokenPlatform.GitHub);
            tokenIds = await open.Where(e => e.TokenId > after).OrderBy(e => e.TokenId).Select(e => e.TokenId).Distinct().Take(Math.Max(1, _options.MaxPerPass)).ToListAsync(ct);
            if (tokenIds.Count == 0 && after > 0)
                tokenIds = await open.OrderBy(e => e.TokenId).Select(e => e.TokenId).Distinct().Take(Math.Max(1, _options.MaxPerPass)).ToListAsync(ct);
        }
        var checkedCount = 0;
        foreach (var id in tokenIds)
        {
            var result = await CheckAsync(id, "validation:periodic", ct);
            _cursor = id;
            if (result.Outcome == CheckOutcome.RateLimited) break;
            if (result.Outcome == CheckOutcome.Checked) checkedCount++;
        }
        return checkedCount;
    }

    private int _cursor;

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values) limiter.Dispose();
    }
}

/// <summary>The periodic validation pass, when validation is enabled (the dashboard only).</summary>
public sealed class ValidationWorker(TokenValidationService validation, IOptions<RemediationOptions> options, TimeProvider clock, ILogger<ValidationWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Validation.IntervalMinutes;
        if (!options.Value.Validation.Enabled || interval <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(interval), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var n = await validation.RunPassAsync(stoppingToken);
                    if (n > 0) log.LogInformation("Validation pass: {Count} token(s) checked.", n);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Validation pass failed; it runs again in {Interval} minutes.", interval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
