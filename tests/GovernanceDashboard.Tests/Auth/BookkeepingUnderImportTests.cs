using System.Diagnostics;
using System.Net;
using GovernanceDashboard.Audit;
using GovernanceDashboard.Auth;
using GovernanceDashboard.Bookkeeping;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Tests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GovernanceDashboard.Tests.Auth;

/// <summary>A large import in another process holds SQLite's writer for a minute or more; API-key requests and sign-ins
/// meanwhile are answered, and their bookkeeping (last use, sign-in and sign-out events) lands once it commits.</summary>
public class BookkeepingUnderImportTests
{
    // About a minute of import work on this project's machine (an import of 150,000 such records takes ~45 s there), well
    // past the 30 s a waiting write used to be given before "database is locked".
    private const int Records = 250_000;

    [Fact]
    public async Task Requests_and_sign_ins_during_a_long_import_get_no_5xx_and_their_bookkeeping_is_written_after_it()
    {
        await using var app = new AppFactory();
        _ = app.Server;
        await using (var db = app.Store.Factory.CreateDbContext())
        {
            db.People.AddRange(
                new Person { Email = "analyst@example.com", DisplayName = "Analyst", Roles = Roles.Analyst },
                new Person { Email = "owner@example.com", DisplayName = "Owner" });
            await db.SaveChangesAsync();
        }
        var key = await ApiKeys.CreateAsync(app.Store.Factory, "analyst@example.com", "ci", "test");
        var big = Path.Combine(app.Store.Directory, "big.jsonl");
        await TruffleHogFile.WriteAsync(big, Records);

        using var import = Process.Start(CliRunner.StartInfo(app.Store, "import", big))!;
        var stdout = import.StandardOutput.ReadToEndAsync();
        // The first progress line comes from inside the import's write transaction: from here on it holds the writer.
        string? line;
        while ((line = await import.StandardError.ReadLineAsync()) is not null && !line.StartsWith("progress:", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        var stderr = import.StandardError.ReadToEndAsync();

        var api = app.Client();
        api.DefaultRequestHeaders.Add("X-Api-Key", key!.Key);
        var answers = new List<(string What, HttpStatusCode Status)>();
        foreach (var path in new[] { "/api/tokens", "/api/metrics", "/api/tokens?page=2", "/api/my/notifications", "/healthz" })
            answers.Add((path, (await api.GetAsync(path)).StatusCode));
        var browser = app.Client();
        var signIn = await AppFactory.SignInAsync(browser, "owner@example.com");
        answers.Add(("sign-in", signIn.StatusCode));
        answers.Add(("my tokens", (await browser.GetAsync("/api/my/tokens")).StatusCode));
        var logoutToken = await AppFactory.AntiforgeryTokenAsync(browser);
        var logout = await browser.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = logoutToken }));
        answers.Add(("logout", logout.StatusCode));

        // All answered while the import still held the writer.
        Assert.False(import.HasExited, "the import ended before the requests were made: the file is too small to prove anything");
        Assert.All(answers, a => Assert.True((int)a.Status < 500, $"{a.What}: {(int)a.Status}"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("error", signIn.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answers.Single(a => a.What == "/api/tokens").Status);

        await import.WaitForExitAsync();
        Assert.True(import.ExitCode == 0, await stderr);
        Assert.Contains("250000 new token(s)", await stdout, StringComparison.Ordinal);

        // Queued, then written once the import committed.
        using var drained = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.Services.GetRequiredService<BookkeepingQueue>().DrainedAsync(drained.Token);
        await using var check = app.Store.Factory.CreateDbContext();
        Assert.NotNull((await check.ApiKeys.SingleAsync(k => k.Id == key.Id)).LastUsedAt);
        var kinds = await check.AuditEvents.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        Assert.Equal(["apikey.created", "import.completed", "signin.local", "signout"], kinds);
        Assert.Null(await AuditTrail.VerifyAsync(check));
        Assert.Equal("", await File.ReadAllTextAsync(app.Services.GetRequiredService<BookkeepingQueue>().JournalPath));
    }

    [Fact]
    public async Task Audit_events_journaled_by_a_run_that_died_are_written_at_the_next_start_once()
    {
        await using var app = new AppFactory();
        var store = app.Store;
        var journal = Path.Combine(store.Directory, "queue", "bookkeeping.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(journal)!);
        // One event the dead run had written already, one it had not.
        await File.WriteAllLinesAsync(journal,
        [
            "{\"type\":\"audit\",\"actor\":\"a@example.com\",\"kind\":\"signin.local\",\"subject\":\"person:1\",\"at\":\"2026-12-01T10:00:00.123+00:00\"}",
            "{\"type\":\"audit\",\"actor\":\"b@example.com\",\"kind\":\"signin.local\",\"subject\":\"person:2\",\"at\":\"2026-12-01T10:00:01+00:00\"}",
            "{\"type\":\"audit\",\"actor\":\"c@exa",
        ]);
        await store.MigrateAsync();
        await using (var db = store.Factory.CreateDbContext())
        {
            await AuditTrail.AppendAsync(db, "a@example.com", "signin.local", "person:1", at: DateTimeOffset.Parse("2026-12-01T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture));
            await db.SaveChangesAsync();
        }

        _ = app.Server;
        using var drained = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await app.Services.GetRequiredService<BookkeepingQueue>().DrainedAsync(drained.Token);

        await using var check = store.Factory.CreateDbContext();
        Assert.Equal(["a@example.com", "b@example.com"], await check.AuditEvents.OrderBy(e => e.Id).Select(e => e.Actor).ToListAsync());
        Assert.Equal("", await File.ReadAllTextAsync(journal));
    }
}
