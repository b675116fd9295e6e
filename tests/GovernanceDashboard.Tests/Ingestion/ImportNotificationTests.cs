using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static GovernanceDashboard.Tests.Importers.ImporterTestFiles;

namespace GovernanceDashboard.Tests.Ingestion;

public class ImportNotificationTests
{
    [Fact]
    public async Task Owners_are_told_once_about_new_exposures_of_their_tokens()
    {
        await using var h = await ImportHarness.StartAsync();
        await h.ImportAsync(Sample("people.csv"));
        await h.ImportAsync(Sample("owners.csv"));
        await h.ImportAsync(Sample("trufflehog.jsonl"));
        await h.ImportAsync(Sample("trufflehog.jsonl"));

        await using var db = h.Db();
        var messages = await db.Notifications.Include(n => n.Person).Where(n => n.Kind == "exposure.opened").ToListAsync();
        // jdoe owns the HF write token and the GitHub PAT (rules), asmith the HF read token; the org token has no owner.
        Assert.Equal(["asmith@example.com", "jdoe@example.com", "jdoe@example.com"], messages.Select(m => m.Person!.Email).Order());
        Assert.All(messages, m => Assert.DoesNotContain("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", m.Body, StringComparison.Ordinal));
    }
}
