using System.Text;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Platforms;
using GovernanceDashboard.Workflows.Notifications;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The queue in the store: requests, batching within GitHub's limits, failures and retries, and what a 202 changes.</summary>
public class RevocationQueueTests : IAsyncLifetime
{
    private RemediationHarness _h = default!;

    public async Task InitializeAsync() => _h = await RemediationHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    [Fact]
    public async Task Revoke_now_sends_the_token_once_then_remediates_erases_the_escrow_and_tells_owner_and_manager()
    {
        var manager = await _h.PersonAsync("manager");
        var owner = await _h.PersonAsync("owner", manager: manager);
        var secret = RemediationHarness.HfSecret(1);
        var exposure = (await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [secret], owner.Id))[0];

        var first = await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [exposure.Id]);
        var again = await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [exposure.Id]);
        Assert.Equal(RevokeOutcome.Queued, first[0].Outcome);
        Assert.Equal(RevokeOutcome.AlreadyRequested, again[0].Outcome);
        Assert.Equal(first[0].RequestId, again[0].RequestId);
        Assert.Empty(_h.Stub.Requests);

        var before = DateTimeOffset.UtcNow;
        Assert.Equal(1, await _h.Revocations.SendDueAsync(Now));
        Assert.Equal(0, await _h.Revocations.SendDueAsync(Now.AddDays(1)));

        var request = Assert.Single(_h.Stub.Requests);
        Assert.Equal([secret], request.Credentials());
        await using var db = _h.Db();
        var stored = await db.Exposures.Include(e => e.Token).SingleAsync(e => e.Id == exposure.Id);
        Assert.Equal(ExposureState.Remediated, stored.State);
        Assert.Equal("revocation:huggingface", stored.RemediatedBy);
        Assert.InRange(stored.RemediatedAt!.Value, before.AddMilliseconds(-1), request.ReceivedAt);
        Assert.Null(stored.Escrow);
        Assert.Equal(TokenStatus.Revoked, stored.Token!.Status);
        Assert.Equal(stored.RemediatedAt, stored.Token.RevokedAt);
        var sent = await db.RevocationRequests.SingleAsync();
        Assert.Equal((RevocationState.Sent, stored.RemediatedAt), (sent.State, sent.SentAt));
        var told = await db.Notifications.Where(n => n.Kind == NotificationKinds.RevocationSent).Select(n => n.PersonId).ToListAsync();
        Assert.Equal(new[] { owner.Id, manager.Id }.Order(), told.Order());
        var audit = await db.AuditEvents.Where(e => e.Kind == "revocation.sent" || e.Kind == "revocation.queued").ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, e => Assert.DoesNotContain(secret, e.Before + e.After, StringComparison.Ordinal));

        // A closed exposure is a conflict, not a second request.
        var closed = await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [exposure.Id]);
        Assert.Equal(RevokeOutcome.Closed, closed[0].Outcome);
    }

    [Fact]
    public async Task No_escrow_an_installation_token_or_an_unknown_kind_explain_the_manual_path()
    {
        var masked = (await _h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [null]))[0];
        var installation = (await _h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken, ["ghs_InstallationTokenAbCdEfGhIjKlMnOp"]))[0];
        var orgToken = (await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceOrgApiToken, ["api_org_AbCdEfGhIjKlMnOpQrStUv"]))[0];

        var results = await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [masked.Id, installation.Id, orgToken.Id, 999_999]);

        Assert.Equal([RevokeOutcome.NotRevocable, RevokeOutcome.NotRevocable, RevokeOutcome.NotRevocable, RevokeOutcome.NotFound], results.Select(r => r.Outcome));
        Assert.Contains("No escrowed value", results[0].Message, StringComparison.Ordinal);
        Assert.Equal(RevocationSupport.GitHubTokenSettings, results[0].ManualUrl);
        Assert.Contains("installation tokens (ghs_)", results[1].Message, StringComparison.Ordinal);
        Assert.Contains("https://github.com/settings/tokens", results[1].Message, StringComparison.Ordinal);
        Assert.Equal(RevocationSupport.HuggingFaceTokenSettings, results[2].ManualUrl);
        await using var db = _h.Db();
        Assert.Empty(db.RevocationRequests);
    }

    [Fact]
    public async Task Only_analysts_and_admins_revoke()
    {
        var exposure = (await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(1)]))[0];
        var owner = new GovernanceDashboard.Workflows.Actor(5, "owner@acme.test", Roles.None);
        Assert.Equal(RevokeOutcome.Forbidden, (await _h.Revocations.RequestAsync(owner, [exposure.Id]))[0].Outcome);
        await using var db = _h.Db();
        Assert.Empty(db.RevocationRequests);
    }

    [Fact]
    public async Task GitHub_gets_2500_tokens_in_three_requests_of_at_most_a_thousand()
    {
        var secrets = Enumerable.Range(0, 2500).Select(RemediationHarness.GhSecret).ToList();
        var exposures = await _h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, secrets);
        await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [.. exposures.Select(e => e.Id)]);

        Assert.Equal(2500, await _h.Revocations.SendDueAsync(Now));

        var requests = _h.Stub.Requests;
        Assert.Equal([1000, 1000, 500], requests.Select(r => r.Credentials().Count));
        Assert.All(requests, r => Assert.Equal(("POST", "/credentials/revoke", (string?)null), (r.Method, r.Path, r.Authorization)));
        Assert.Equal(secrets.Order(StringComparer.Ordinal), requests.SelectMany(r => r.Credentials()).Order(StringComparer.Ordinal));
        await using var db = _h.Db();
        Assert.Equal(2500, await db.Exposures.CountAsync(e => e.State == ExposureState.Remediated && e.Escrow == null));
        Assert.Equal(3, await db.RevocationCalls.CountAsync());
    }

    [Fact]
    public async Task GitHub_hourly_limit_is_counted_from_the_store_and_the_rest_waits()
    {
        // 59 calls were made in the last hour (by this or an earlier process): one is left.
        await using (var db = _h.Db())
        {
            for (var i = 0; i < 59; i++)
                db.RevocationCalls.Add(new RevocationCall { Platform = TokenPlatform.GitHub, At = Now.AddMinutes(-50).AddSeconds(i), Credentials = 1 });
            // An older call and Hugging Face calls do not count.
            db.RevocationCalls.Add(new RevocationCall { Platform = TokenPlatform.GitHub, At = Now.AddMinutes(-61), Credentials = 1 });
            db.RevocationCalls.Add(new RevocationCall { Platform = TokenPlatform.HuggingFace, At = Now.AddMinutes(-1), Credentials = 1 });
            await db.SaveChangesAsync();
        }
        var exposures = await _h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, Enumerable.Range(0, 1500).Select(RemediationHarness.GhSecret));
        await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [.. exposures.Select(e => e.Id)]);

        Assert.Equal(1000, await _h.Revocations.SendDueAsync(Now));

        Assert.Single(_h.Stub.Requests);
        await using var check = _h.Db();
        Assert.Equal(500, await check.RevocationRequests.CountAsync(r => r.State == RevocationState.Queued));
        // The next slot frees an hour after the oldest call of the window.
        var next = await _h.Revocations.NextDueAsync();
        Assert.NotNull(next);
        Assert.True(next > Now.AddMinutes(5), $"next attempt {next} should wait for the hourly budget");
    }

    [Fact]
    public async Task A_failure_keeps_the_exposure_open_records_the_error_and_retries_later()
    {
        var secret = RemediationHarness.GhSecret(1);
        var exposure = (await _h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [secret]))[0];
        await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [exposure.Id]);
        _h.Stub.Answer = _ => new StubAnswer(500);

        Assert.Equal(0, await _h.Revocations.SendDueAsync(Now));

        await using (var db = _h.Db())
        {
            var request = await db.RevocationRequests.SingleAsync();
            Assert.Equal((RevocationState.Failed, 1), (request.State, request.Attempts));
            Assert.Contains("500", request.LastError, StringComparison.Ordinal);
            Assert.True(request.NextAttemptAt > Now, "a failed request waits before the next attempt");
            Assert.Equal(ExposureState.Open, (await db.Exposures.SingleAsync(e => e.Id == exposure.Id)).State);
            Assert.NotNull((await db.Exposures.SingleAsync(e => e.Id == exposure.Id)).Escrow);
            var status = (await _h.Revocations.StatusOfAsync([exposure.Id]))[exposure.Id];
            Assert.Equal("failed", status.State);
            Assert.Contains("500", status.LastError, StringComparison.Ordinal);
        }
        // Not due yet: nothing is sent; once due, the platform is back and it goes through.
        Assert.Equal(0, await _h.Revocations.SendDueAsync(Now));
        Assert.Single(_h.Stub.Requests);
        _h.Stub.Answer = _ => new StubAnswer(202);
        Assert.Equal(1, await _h.Revocations.SendDueAsync(Now.AddMinutes(1)));
        await using var after = _h.Db();
        Assert.Equal(ExposureState.Remediated, (await after.Exposures.SingleAsync(e => e.Id == exposure.Id)).State);
        Assert.Equal(2, _h.Stub.Requests.Count);
    }

    [Fact]
    public async Task A_closed_exposure_is_not_sent_even_when_it_was_queued_before_it_closed()
    {
        var exposure = (await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [RemediationHarness.HfSecret(1)]))[0];
        await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [exposure.Id]);
        await using (var db = _h.Db())
        {
            await db.Exposures.Where(e => e.Id == exposure.Id).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.State, ExposureState.Dismissed).SetProperty(e => e.DismissedAt, Now).SetProperty(e => e.Escrow, (string?)null));
        }
        Assert.Equal(0, await _h.Revocations.SendDueAsync(Now));
        Assert.Empty(_h.Stub.Requests);
        await using var check = _h.Db();
        Assert.Equal(RevocationState.Cancelled, (await check.RevocationRequests.SingleAsync()).State);
    }

    [Fact]
    public async Task No_secret_in_clear_in_the_database_files_the_logs_or_the_audit_after_revocation_and_failures()
    {
        var secrets = new[] { RemediationHarness.HfSecret(11), RemediationHarness.GhSecret(12) };
        var hf = await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [secrets[0]]);
        var gh = await _h.ExposedAsync(TokenPlatform.GitHub, TokenKind.GitHubClassicPat, [secrets[1]]);
        await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [hf[0].Id, gh[0].Id]);
        _h.Stub.Answer = r => r.Path.StartsWith("/credentials", StringComparison.Ordinal) ? new StubAnswer(422, r.Body) : new StubAnswer(202);
        await _h.Revocations.SendDueAsync(Now);

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _h.Store.DatabasePath, _h.Store.DatabasePath + "-wal" }.Where(File.Exists))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in secrets)
                Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"{secret[..4]}… is in {Path.GetFileName(file)}");
        }
        var logs = string.Join('\n', _h.Logs.Lines);
        Assert.Contains("Revocation", logs, StringComparison.Ordinal);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        await using var db = _h.Db();
        var failed = await db.RevocationRequests.SingleAsync(r => r.Platform == TokenPlatform.GitHub);
        Assert.Equal(RevocationState.Failed, failed.State);
        Assert.DoesNotContain(secrets[1], failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_erased_escrow_can_no_longer_be_decrypted_from_the_store()
    {
        var secret = RemediationHarness.HfSecret(21);
        var exposure = (await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [secret]))[0];
        await _h.Revocations.RequestAsync(RemediationHarness.Analyst, [exposure.Id]);
        await _h.Revocations.SendDueAsync(Now);

        // Every text cell of every table that the key ring can decrypt: none gives the secret back.
        Assert.False(await Seed.AnyCellDecryptsToAsync(_h.Store.ConnectionString, _h.Secrets, [secret]));
        // The check itself can find an escrowed value (so that it can fail).
        var other = RemediationHarness.HfSecret(22);
        await _h.ExposedAsync(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, [other]);
        Assert.True(await Seed.AnyCellDecryptsToAsync(_h.Store.ConnectionString, _h.Secrets, [other]));
    }
}
