using GovernanceDashboard.Domain;
using GovernanceDashboard.Ingestion;
using GovernanceDashboard.Ingestion.Rules;
using GovernanceDashboard.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace GovernanceDashboard.Tests.Ingestion.Rules;

public class OwnerAssignmentRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(TokenPlatform.HuggingFace, "jdoe", TokenPlatform.HuggingFace, "JDoe", true)]
    [InlineData(TokenPlatform.HuggingFace, "jdoe", TokenPlatform.GitHub, "jdoe", false)]
    [InlineData(TokenPlatform.GitHub, "acme", TokenPlatform.GitHub, "acme-bot", false)]
    [InlineData(TokenPlatform.GitHub, "acme", TokenPlatform.GitHub, null, false)]
    public void A_rule_matches_its_platform_account_in_any_case(TokenPlatform rulePlatform, string ruleAccount, TokenPlatform platform, string? account, bool expected) =>
        Assert.Equal(expected, OwnerAssignmentRule.Matches(rulePlatform, ruleAccount, platform, account));

    [Theory]
    [InlineData(null, OwnerSource.None, 7, true)]
    [InlineData(3, OwnerSource.Rule, 7, true)]
    [InlineData(7, OwnerSource.Rule, 7, false)]
    [InlineData(3, OwnerSource.Manual, 7, false)]
    [InlineData(3, OwnerSource.Api, 7, false)]
    [InlineData(null, OwnerSource.None, null, false)]
    [InlineData(3, OwnerSource.Rule, null, false)]
    public void A_rules_owner_replaces_no_owner_or_a_rules_but_never_a_persons_choice(int? owner, OwnerSource source, int? ruleOwner, bool expected) =>
        Assert.Equal(expected, OwnerAssignmentRule.Replaces(owner, source, ruleOwner));

    [Fact]
    public void The_suggestion_is_the_earliest_active_author_and_only_for_a_token_without_owner_or_suggestion()
    {
        (int?, bool)[] authors = [(null, true), (4, false), (5, true), (6, true)];
        Assert.Equal(5, OwnerAssignmentRule.Suggestion(null, null, authors));
        Assert.Null(OwnerAssignmentRule.Suggestion(2, null, authors));
        Assert.Equal(9, OwnerAssignmentRule.Suggestion(null, 9, authors));
        Assert.Null(OwnerAssignmentRule.Suggestion(null, null, [(4, false)]));
    }

    /// <summary>The import's SQL decides every case of the grid as the rule does, on a real store.</summary>
    [Fact]
    public async Task The_import_sql_assigns_exactly_where_the_rule_says()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using (var db = await store.Factory.CreateDbContextAsync())
        {
            db.People.AddRange(Person("ruled@example.com"), Person("other@example.com"));
            db.OwnershipRules.Add(new OwnershipRule { Platform = TokenPlatform.HuggingFace, Account = "JDoe", OwnerEmail = "Ruled@Example.com", CreatedAt = Now });
            await db.SaveChangesAsync();
        }
        int ruled, other;
        await using (var db = await store.Factory.CreateDbContextAsync())
        {
            ruled = (await db.People.SingleAsync(p => p.Email == "ruled@example.com")).Id;
            other = (await db.People.SingleAsync(p => p.Email == "other@example.com")).Id;
        }

        // Every combination of platform, account, owner and source.
        var cases = new List<(TokenPlatform Platform, string? Account, int? Owner, OwnerSource Source)>();
        foreach (var platform in new[] { TokenPlatform.HuggingFace, TokenPlatform.GitHub })
        foreach (var account in new[] { "jdoe", "JDOE", "someone", null })
        foreach (var (owner, source) in new (int?, OwnerSource)[] { (null, OwnerSource.None), (other, OwnerSource.Rule), (ruled, OwnerSource.Rule), (other, OwnerSource.Manual), (other, OwnerSource.Api) })
            cases.Add((platform, account, owner, source));

        await using (var db = await store.Factory.CreateDbContextAsync())
        {
            var n = 0;
            foreach (var c in cases)
            {
                n++;
                db.Tokens.Add(new Token
                {
                    Identity = $"id-{n}", Mask = "hf_…", Platform = c.Platform, Account = c.Account, OwnerId = c.Owner, OwnerSource = c.Source,
                    FirstSeenAt = Now, LastSeenAt = Now,
                });
            }
            await db.SaveChangesAsync();
            await OwnershipAssignment.ApplyRulesAsync(db, null, Now, default);
        }

        await using var check = await store.Factory.CreateDbContextAsync();
        var tokens = await check.Tokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync();
        Assert.Equal(cases.Count, tokens.Count);
        var assigned = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var ruleOwner = OwnerAssignmentRule.Matches(TokenPlatform.HuggingFace, "JDoe", c.Platform, c.Account) ? ruled : (int?)null;
            var replaces = OwnerAssignmentRule.Replaces(c.Owner, c.Source, ruleOwner);
            Assert.Equal(replaces ? ruled : c.Owner, tokens[i].OwnerId);
            Assert.Equal(replaces ? OwnerSource.Rule : c.Source, tokens[i].OwnerSource);
            Assert.Equal(replaces ? Now : null, tokens[i].OwnerConfirmedAt);
            if (replaces) assigned++;
        }
        // The grid holds both outcomes: two accounts in two cases, no owner and another rule's owner.
        Assert.Equal(4, assigned);
    }

    [Fact]
    public async Task The_import_sql_suggests_the_earliest_active_author_as_the_rule_does()
    {
        await using var store = await new TestStore().MigrateAsync();
        await using var db = await store.Factory.CreateDbContextAsync();
        var gone = Person("gone@example.com");
        gone.Active = false;
        var author = Person("author@example.com");
        var later = Person("later@example.com");
        db.People.AddRange(gone, author, later);
        var import = new ScanImport { Format = "gitleaks", FileName = "f.json", Sha256 = "00", ImportedBy = "test", ImportedAt = Now };
        db.Add(import);
        var open = new Token { Identity = "open", Mask = "hf_…", FirstSeenAt = Now, LastSeenAt = Now };
        var owned = new Token { Identity = "owned", Mask = "hf_…", FirstSeenAt = Now, LastSeenAt = Now, Owner = later, OwnerSource = OwnerSource.Manual };
        db.Tokens.AddRange(open, owned);
        foreach (var (token, email, key) in new[] { (open, "stranger@example.com", "a"), (open, "gone@example.com", "b"), (open, "author@example.com", "c"), (open, "later@example.com", "d"), (owned, "author@example.com", "e") })
        {
            db.Occurrences.Add(new Occurrence { Token = token, Import = import, Key = key, Scanner = "Gitleaks", AuthorEmail = email, DetectedAt = Now });
            await db.SaveChangesAsync(); // one at a time: the rule reads occurrence order from their ids
        }

        await OwnershipAssignment.SuggestFromCommitAuthorsAsync(db, import.Id, default);

        var tokens = await db.Tokens.AsNoTracking().ToDictionaryAsync(t => t.Identity);
        Assert.Equal(author.Id, tokens["open"].SuggestedOwnerId);
        Assert.Equal(OwnerAssignmentRule.Suggestion(null, null, [(null, true), (gone.Id, false), (author.Id, true), (later.Id, true)]), tokens["open"].SuggestedOwnerId);
        Assert.Null(tokens["owned"].SuggestedOwnerId);
    }

    private static Person Person(string email) => new() { Email = email, DisplayName = email, Active = true };
}
