using GovernanceDashboard.Data;
using GovernanceDashboard.Domain;
using GovernanceDashboard.Tests.Infrastructure;
using GovernanceDashboard.Workflows.Ownership;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GovernanceDashboard.Tests.Workflows;

/// <summary>The ownership-rules screen's service on a real store: adding assigns the account's tokens (a person's choice
/// kept), bad input is refused with nothing written, removing stops there; all audited.</summary>
public class OwnershipRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Adding_a_rule_assigns_the_accounts_tokens_except_a_persons_choice_and_removing_it_is_audited()
    {
        await using var store = await new TestStore().MigrateAsync();
        using var host = await TestHost.StartAsync(store, clock: new FakeTimeProvider(Now));
        var rules = host.Services.GetRequiredService<OwnershipRules>();
        int ada, ben, ruled, chosen, other;
        await using (var db = store.Factory.CreateDbContext())
        {
            var a = new Person { Email = "ada@acme.test", DisplayName = "Ada", Active = true, CreatedAt = Now };
            var b = new Person { Email = "ben@acme.test", DisplayName = "Ben", Active = true, CreatedAt = Now };
            db.People.AddRange(a, b);
            await db.SaveChangesAsync();
            (ada, ben) = (a.Id, b.Id);
            Token T(string id, string account, int? owner = null) => new()
            {
                Identity = id, Mask = "hf_…" + id, Platform = TokenPlatform.HuggingFace, Kind = TokenKind.HuggingFaceUserToken, Account = account,
                OwnerId = owner, OwnerSource = owner is null ? OwnerSource.None : OwnerSource.Manual, FirstSeenAt = Now, LastSeenAt = Now,
            };
            var tokens = new[] { T("r1", "Acme-Research"), T("c1", "acme-research", ben), T("o1", "someone-else") };
            db.Tokens.AddRange(tokens);
            await db.SaveChangesAsync();
            (ruled, chosen, other) = (tokens[0].Id, tokens[1].Id, tokens[2].Id);
        }

        Assert.Null(await rules.AddAsync(TokenPlatform.HuggingFace, " acme-research ", "ADA@acme.test", "sec.lead@acme.test"));

        await using (var db = store.Factory.CreateDbContext())
        {
            var owners = await db.Tokens.ToDictionaryAsync(t => t.Id, t => t.OwnerId);
            Assert.Equal(ada, owners[ruled]);
            Assert.Equal(ben, owners[chosen]);
            Assert.Null(owners[other]);
            Assert.Equal("ownership-rule.added", (await db.AuditEvents.OrderBy(e => e.Id).LastAsync()).Kind);
        }
        var listed = Assert.Single(await rules.ListAsync());
        Assert.Equal(("acme-research", "Ada", 2), (listed.Account, listed.OwnerName, listed.Tokens));

        // Refused, with a reason, and nothing written: a duplicate (any case), an unknown owner, no account.
        Assert.NotNull(await rules.AddAsync(TokenPlatform.HuggingFace, "ACME-RESEARCH", "ben@acme.test", "sec.lead@acme.test"));
        Assert.NotNull(await rules.AddAsync(TokenPlatform.HuggingFace, "other", "nobody@acme.test", "sec.lead@acme.test"));
        Assert.NotNull(await rules.AddAsync(TokenPlatform.HuggingFace, "  ", "ben@acme.test", "sec.lead@acme.test"));
        Assert.Single(await rules.ListAsync());

        Assert.True(await rules.RemoveAsync(listed.Id, "sec.lead@acme.test"));
        Assert.False(await rules.RemoveAsync(listed.Id, "sec.lead@acme.test"));
        Assert.Empty(await rules.ListAsync());
        await using (var db = store.Factory.CreateDbContext())
        {
            var last = await db.AuditEvents.OrderBy(e => e.Id).LastAsync();
            Assert.Equal(("ownership-rule.removed", "sec.lead@acme.test"), (last.Kind, last.Actor));
            // The owner the rule gave stays.
            Assert.Equal(ada, (await db.Tokens.FindAsync(ruled))!.OwnerId);
        }
    }
}
