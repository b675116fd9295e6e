using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

/// <summary>Each format's sample lands in the inventory with the right tokens, platforms, kinds, write capability, occurrences and exposures.</summary>
public class ImportSampleTests
{
    private static readonly DateTimeOffset ScannedAt = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TruffleHog_sample_gives_four_tokens_with_their_write_capability_and_open_exposures()
    {
        await using var h = await ImportHarness.StartAsync();
        var summary = await h.ImportAsync(Sample("trufflehog.jsonl"), scannedAt: ScannedAt);

        Assert.Equal(("trufflehog", 4, 4, 4, 0), (summary.Format, summary.Records, summary.TokensNew, summary.OccurrencesNew, summary.Duplicates));
        await using var db = h.Db();
        var tokens = await db.Tokens.OrderBy(t => t.Id).ToListAsync();
        Assert.Equal(
            [
                (TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, WriteCapability.Write, "jdoe"),
                (TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken, WriteCapability.Read, "asmith"),
                (TokenPlatform.GitHub, TokenKind.GitHubClassicPat, WriteCapability.Write, "jdoe"),
                (TokenPlatform.HuggingFace, TokenKind.HuggingFaceOrgApiToken, WriteCapability.Unknown, null),
            ],
            tokens.Select(t => (t.Platform, t.Kind, t.WriteCapability, t.Account)));
        Assert.All(tokens, t => Assert.Equal(TokenStatus.Exposed, t.Status));
        Assert.Equal("hf_…KLzd", tokens[0].Mask);

        var exposures = await db.Exposures.OrderBy(e => e.TokenId).ToListAsync();
        Assert.Equal(4, exposures.Count);
        Assert.All(exposures, e => Assert.Equal(ScannedAt, e.DetectedAt));
        // Verified write token in a public Space: critical. Verified read in a private repo: high. Unverified: medium.
        Assert.Equal([Severity.Critical, Severity.High, Severity.High, Severity.Medium], exposures.Select(e => e.Severity));
        var occurrence = await db.Occurrences.OrderBy(o => o.Id).FirstAsync();
        Assert.Equal((RepoVisibility.Public, "app.py", 4, "dev@acme.io"), (occurrence.Visibility, occurrence.File, occurrence.Line, occurrence.AuthorEmail));
    }

    [Fact]
    public async Task Gitleaks_sample_merges_with_the_TruffleHog_token_it_shares()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Sample("trufflehog.jsonl"), scannedAt: ScannedAt);
        var summary = await h.ImportAsync(Sample("gitleaks.json"), scannedAt: ScannedAt.AddDays(1));

        Assert.Equal((1, 1, 2), (summary.TokensNew, summary.TokensSeen, summary.OccurrencesNew));
        await using var db = h.Db();
        Assert.Equal(5, await db.Tokens.CountAsync());
        var fineGrained = await db.Tokens.SingleAsync(t => t.Kind == TokenKind.GitHubFineGrainedPat);
        Assert.Equal((TokenPlatform.GitHub, WriteCapability.Unknown), (fineGrained.Platform, fineGrained.WriteCapability));
        var shared = await db.Tokens.Include(t => t.Occurrences).SingleAsync(t => t.Mask == "hf_…KLzd");
        Assert.Equal(["Gitleaks", "TruffleHog"], shared.Occurrences.Select(o => o.Scanner).Order());
        // Gitleaks never verifies: one exposure for the shared token, still dated by the earlier scan.
        Assert.Equal(ScannedAt, (await db.Exposures.SingleAsync(e => e.TokenId == shared.Id)).DetectedAt);
    }

    [Fact]
    public async Task GitHub_alerts_sample_applies_revoked_open_and_false_positive_states()
    {
        await using var h = await ImportHarness.StartAsync();
        var summary = await h.ImportAsync(Sample("github-alerts.json"), scannedAt: ScannedAt);

        Assert.Equal((3, 3, 2), (summary.TokensNew, summary.OccurrencesNew, summary.ExposuresClosed));
        await using var db = h.Db();
        var byKind = await db.Tokens.Include(t => t.Exposures).ToDictionaryAsync(t => t.Kind);

        var pat = byKind[TokenKind.GitHubClassicPat];
        Assert.Equal(TokenStatus.Revoked, pat.Status);
        var patExposure = Assert.Single(pat.Exposures);
        Assert.Equal(ExposureState.Remediated, patExposure.State);
        Assert.Equal(DateTimeOffset.Parse("2026-09-03T08:15:00Z"), patExposure.DetectedAt);
        Assert.Equal(DateTimeOffset.Parse("2026-09-04T10:00:00Z"), patExposure.RemediatedAt);
        Assert.Null(patExposure.Escrow);

        var hf = byKind[TokenKind.HuggingFaceUserToken];
        Assert.Equal((TokenStatus.Exposed, ExposureState.Open, Severity.High), (hf.Status, hf.Exposures[0].State, hf.Exposures[0].Severity));

        var oauth = byKind[TokenKind.GitHubOAuth];
        Assert.Equal((TokenStatus.Active, ExposureState.Dismissed, "false_positive"), (oauth.Status, oauth.Exposures[0].State, oauth.Exposures[0].DismissalReason));
    }

    [Fact]
    public async Task SARIF_sample_gives_an_identified_token_and_an_unidentified_one()
    {
        await using var h = await ImportHarness.StartAsync();
        var summary = await h.ImportAsync(Sample("gitleaks.sarif"), scannedAt: ScannedAt);

        Assert.Equal((2, 2), (summary.TokensNew, summary.OccurrencesNew));
        await using var db = h.Db();
        var tokens = await db.Tokens.OrderBy(t => t.Id).ToListAsync();
        Assert.True(tokens[0].Identified);
        Assert.Equal("hf_…KLzd", tokens[0].Mask);
        Assert.False(tokens[1].Identified);
        Assert.Equal("secret not available", tokens[1].Mask);
        Assert.Equal(TokenPlatform.GitHub, tokens[1].Platform);
        Assert.Equal(2, await db.Exposures.CountAsync(e => e.State == ExposureState.Open));

        // The same masked finding again adds nothing.
        var again = await h.ImportAsync(Sample("gitleaks.sarif"), scannedAt: ScannedAt.AddDays(1));
        Assert.Equal((0, 0, 2), (again.TokensNew, again.OccurrencesNew, again.Duplicates));
    }

    [Fact]
    public async Task People_and_owners_csv_give_confirmed_owners_and_commit_authors_only_suggest()
    {
        await using var h = await ImportHarness.StartAsync();
        var people = await h.ImportAsync(Sample("people.csv"));
        Assert.Equal(4, people.PeopleAdded);
        await h.ImportAsync(Sample("gitleaks.json"), scannedAt: ScannedAt);

        await using (var db = h.Db())
        {
            // Gitleaks' commit e-mails match people: suggested, not owned.
            var tokens = await db.Tokens.ToListAsync();
            Assert.All(tokens, t => Assert.Null(t.OwnerId));
            Assert.Equal(2, tokens.Count(t => t.SuggestedOwnerId is not null));
            var lead = await db.People.SingleAsync(p => p.Email == "lead@example.com");
            Assert.Equal(Roles.Admin | Roles.Approver, lead.Roles);
            Assert.False((await db.People.SingleAsync(p => p.Email == "old@example.com")).Active);
        }

        var owners = await h.ImportAsync(Sample("owners.csv"));
        Assert.Equal(3, owners.RulesSaved);
        // Rules also reach tokens imported later.
        await h.ImportAsync(Sample("trufflehog.jsonl"), scannedAt: ScannedAt);
        await using var check = h.Db();
        var owned = await check.Tokens.Where(t => t.OwnerId != null).Select(t => new { t.Account, t.Platform, t.Owner!.Email, t.OwnerSource }).ToListAsync();
        Assert.Contains(owned, o => o.Account == "jdoe" && o.Platform == TokenPlatform.HuggingFace && o.Email == "jdoe@example.com" && o.OwnerSource == OwnerSource.Rule);
        Assert.Contains(owned, o => o.Account == "asmith" && o.Email == "asmith@example.com");
        Assert.Contains(owned, o => o.Account == "jdoe" && o.Platform == TokenPlatform.GitHub);
    }

    [Fact]
    public async Task Every_import_is_audited_and_the_chain_stays_intact()
    {
        await using var h = await ImportHarness.StartAsync();
        var summary = await h.ImportAsync(Sample("trufflehog.jsonl"), actor: "someone@example.com");
        await using var db = h.Db();
        var evt = await db.AuditEvents.SingleAsync(e => e.Kind == "import.completed");
        Assert.Equal(("someone@example.com", $"import:{summary.ImportId}"), (evt.Actor, evt.Subject));
        Assert.Contains("\"tokensNew\":4", evt.After, StringComparison.Ordinal);
        Assert.Null(await GovernanceDashboard.Audit.AuditTrail.VerifyAsync(db));
        var record = await db.Imports.SingleAsync();
        Assert.Equal((summary.Sha256, "someone@example.com", 4), (record.Sha256, record.ImportedBy, record.TokensNew));
    }
}
