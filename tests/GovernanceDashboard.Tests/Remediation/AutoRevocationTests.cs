using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Importers;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Secrets;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Workflows.Notifications;
using GovernanceDashboard.Workflows.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Remediation;

/// <summary>The automatic policy: the import that opens a covered exposure queues its revocation in its own transaction, and the
/// dashboard's worker sends it right after the commit.</summary>
public class AutoRevocationTests
{
    [Fact]
    public async Task An_import_under_the_policy_is_revoked_by_the_dashboard_remediated_erased_and_the_owner_told()
    {
        await using var stub = await PlatformStub.StartAsync();
        await using var app = new AppFactory(extra: new()
        {
            ["HuggingFace:BaseUrl"] = stub.BaseUrl, ["GitHub:ApiBaseUrl"] = stub.BaseUrl,
            ["Remediation:AutoRevoke:HuggingFace"] = "Critical,High",
            // A long poll: only the in-process signal can make the worker send promptly.
            ["Remediation:PollSeconds"] = "600",
        });
        _ = app.Server;
        var manager = await Seed.PersonAsync(app.Services, "manager");
        var owner = await Seed.PersonAsync(app.Services, "jdoe", manager: manager);
        await using (var db = app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>().CreateDbContext())
        {
            db.OwnershipRules.Add(new OwnershipRule { Platform = TokenPlatform.HuggingFace, Account = "jdoe", OwnerEmail = owner.Email, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        var hf = Enumerable.Range(1, 3).Select(RemediationHarness.HfSecret).ToList();
        var gh = RemediationHarness.GhSecret(1);
        var file = Path.Combine(app.Store.Directory, "scan.jsonl");
        await File.WriteAllTextAsync(file, RemediationFiles.TruffleHog([.. hf, gh]));

        var summary = await app.Services.GetRequiredService<ImportService>().ImportFileAsync(file, new ImportRequest("scan.jsonl", null, null, "analyst@acme.test"));
        Assert.Equal(4, summary.ExposuresOpened);

        var factory = app.Services.GetRequiredService<IDbContextFactory<GovernanceDbContext>>();
        await Seed.EventuallyAsync(async () =>
        {
            await using var db = factory.CreateDbContext();
            return await db.RevocationRequests.CountAsync(r => r.State == RevocationState.Sent) == 3;
        });

        var request = Assert.Single(stub.Requests);
        Assert.Equal("/api/credentials/revoke", request.Path);
        Assert.Equal(hf.Order(StringComparer.Ordinal), request.Credentials().Order(StringComparer.Ordinal));
        await using var check = factory.CreateDbContext();
        var exposures = await check.Exposures.Include(e => e.Token).ToListAsync();
        var revoked = exposures.Where(e => e.Token!.Platform == TokenPlatform.HuggingFace).ToList();
        Assert.Equal(3, revoked.Count);
        foreach (var e in revoked)
        {
            Assert.Equal((ExposureState.Remediated, "revocation:huggingface"), (e.State, e.RemediatedBy));
            Assert.InRange(e.RemediatedAt!.Value, (await check.Imports.SingleAsync()).ImportedAt, request.ReceivedAt);
            Assert.Null(e.Escrow);
            Assert.Equal(owner.Id, e.Token!.OwnerId);
        }
        // GitHub is not under the policy: still open, its escrow kept for a later "Revoke now".
        var github = exposures.Single(e => e.Token!.Platform == TokenPlatform.GitHub);
        Assert.Equal(ExposureState.Open, github.State);
        Assert.NotNull(github.Escrow);
        var protector = app.Services.GetRequiredService<SecretProtector>();
        Assert.False(await Seed.AnyCellDecryptsToAsync(app.Store.ConnectionString, protector, hf));
        Assert.True(await Seed.AnyCellDecryptsToAsync(app.Store.ConnectionString, protector, [gh]));
        var told = await check.Notifications.Where(n => n.Kind == NotificationKinds.RevocationSent).Select(n => n.PersonId).ToListAsync();
        Assert.Equal(3, told.Count(id => id == owner.Id));
        Assert.Equal(3, told.Count(id => id == manager.Id));
        Assert.Contains(await check.AuditEvents.Select(a => a.Kind).ToListAsync(), k => k == "revocation.queued");
    }

    [Fact]
    public async Task A_rolled_back_import_queues_nothing_and_the_admins_setting_overrides_the_configuration()
    {
        await using var h = await RemediationHarness.StartAsync(new() { ["Remediation:AutoRevoke:HuggingFace"] = "Critical,High" });
        // A file with more than half its records rejected is not imported at all.
        var bad = Path.Combine(h.Store.Directory, "bad.jsonl");
        await File.WriteAllTextAsync(bad, RemediationFiles.TruffleHog([RemediationHarness.HfSecret(1)]) + "{not json\n{not json either\n");
        await Assert.ThrowsAsync<ImportRejectedException>(() => h.ImportAsync(bad));
        await using (var db = h.Db())
        {
            Assert.Empty(db.RevocationRequests);
            Assert.Empty(db.Exposures);
            // The Admin turns the policy off for Hugging Face and on for GitHub's high findings.
            db.Settings.Add(new Setting { Key = "AutoRevokeHuggingFace", Value = "None" });
            db.Settings.Add(new Setting { Key = "AutoRevokeGitHub", Value = "High" });
            await db.SaveChangesAsync();
        }
        var good = Path.Combine(h.Store.Directory, "good.jsonl");
        await File.WriteAllTextAsync(good, RemediationFiles.TruffleHog([RemediationHarness.HfSecret(2), RemediationHarness.GhSecret(2), "ghs_InstallationTokenAbCdEfGhIjKlMnOp"]));
        await h.ImportAsync(good);

        await using var check = h.Db();
        var queued = await check.RevocationRequests.Select(r => new { r.Platform, r.RequestedBy, r.State }).ToListAsync();
        // Only the GitHub PAT: not Hugging Face (turned off), not the installation token (not revocable through the API).
        var only = Assert.Single(queued);
        Assert.Equal((TokenPlatform.GitHub, RevocationService.AutomaticActor, RevocationState.Queued), (only.Platform, only.RequestedBy, only.State));

        // Importing the same tokens again opens nothing and queues nothing more.
        var again = Path.Combine(h.Store.Directory, "again.jsonl");
        await File.WriteAllTextAsync(again, RemediationFiles.TruffleHog([RemediationHarness.GhSecret(2)]));
        await h.ImportAsync(again);
        Assert.Equal(1, await check.RevocationRequests.CountAsync());
    }

    [Fact]
    public async Task The_admins_policy_is_saved_as_a_setting_audited_and_wins_over_the_configuration()
    {
        await using var h = await RemediationHarness.StartAsync(new() { ["Remediation:AutoRevoke:GitHub"] = "Critical" });
        var configuration = h.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        await using var db = h.Db();
        var before = await GovernanceDashboard.Settings.GovernanceSettings.LoadAsync(db);
        Assert.Equal([Severity.Critical], AutoRevokePolicy.From(before, configuration).GitHub);
        Assert.Empty(AutoRevokePolicy.From(before, configuration).HuggingFace);

        await GovernanceDashboard.Settings.GovernanceSettings.SaveAsync(db, before with { AutoRevokeGitHub = "None", AutoRevokeHuggingFace = "Critical,High" }, "admin@acme.test");

        var after = AutoRevokePolicy.From(await GovernanceDashboard.Settings.GovernanceSettings.LoadAsync(db), configuration);
        Assert.Empty(after.GitHub);
        Assert.Equal([Severity.Critical, Severity.High], after.HuggingFace.OrderDescending());
        var audited = await db.AuditEvents.Where(a => a.Kind == "setting.changed").Select(a => a.Subject).ToListAsync();
        Assert.Equal(["setting:AutoRevokeGitHub", "setting:AutoRevokeHuggingFace"], audited.Order());
    }

    [Fact]
    public void A_typo_in_the_policy_is_an_error_not_a_silent_off()
    {
        Assert.Equal([Severity.Critical, Severity.High], AutoRevokePolicy.Parse(" critical , High").Order().Reverse());
        Assert.Empty(AutoRevokePolicy.Parse("None"));
        Assert.Empty(AutoRevokePolicy.Parse(null));
        Assert.Throws<FormatException>(() => AutoRevokePolicy.Parse("Critcal"));
        Assert.Throws<FormatException>(() => AutoRevokePolicy.Parse("3"));
        Assert.Equal("Critical,High", AutoRevokePolicy.Format([Severity.High, Severity.Critical]));
        Assert.Equal("None", AutoRevokePolicy.Format([]));
    }
}
