namespace GovernanceDashboard.Inventory;

/// <summary>The inventory's filters and sorts over the in-memory facts: which tokens match, how many, and the ids of one
/// page in order, without reading the big tables (<see cref="TokenInventory"/> then reads just that page's rows).</summary>
internal static class TokenSelection
{
    /// <summary>Status order of <see cref="TokenSort.StatusAsc"/>: what needs attention first.</summary>
    private static readonly TokenStatus[] AttentionOrder = [TokenStatus.Exposed, TokenStatus.Active, TokenStatus.Expired, TokenStatus.Revoked];

    /// <summary>Each status's rank in <see cref="AttentionOrder"/>, indexed by the status's number.</summary>
    private static readonly int[] StatusOrder = Enum.GetValues<TokenStatus>().Select(s => Array.IndexOf(AttentionOrder, s)).ToArray();

    /// <summary>Below this many matches sorting them all is as quick as selecting around the page.</summary>
    private const int SelectAbove = 4096;

    /// <summary>Platform order of <see cref="TokenSort.PlatformAsc"/>: by name.</summary>
    private static readonly int[] PlatformOrder = Enum.GetValues<TokenPlatform>().Select(p => Enum.GetNames<TokenPlatform>().Order(StringComparer.Ordinal).ToList().IndexOf(p.ToString())).ToArray();

    public sealed record Result(int Total, IReadOnlyList<(int Id, TokenStatus Status)> Page);

    /// <param name="skip">matching tokens before the page, in sort order</param>
    /// <param name="take">the page's size (int.MaxValue for every match, as the CSV export wants)</param>
    public static Result Select(FactTables facts, TokenFilter filter, TokenSort sort, DateTimeOffset now, int skip, int take)
    {
        var at = FactTables.Millis(now);
        var t = facts.Tokens;
        var exposed = facts.ExposedAt(at);
        var match = Matcher(facts, filter, at, exposed);
        var key = SortKey(facts, sort, at);

        // Descending sorts negate key and id, so one ascending order serves every sort.
        var sign = IsDescending(sort) ? -1 : 1;
        var entries = System.Buffers.ArrayPool<Entry>.Shared.Rent(t.MaxId + 1);
        try
        {
            var count = 0;
            for (var id = 1; id <= t.MaxId; id++)
                if (t.Present[id] && match(id)) entries[count++] = new Entry(sign * key(id, exposed[id]), sign * id);
            var page = Page(entries.AsSpan(0, count), skip, take);
            return new Result(count, page.Select(e => (Math.Abs(e.Id), t.StatusAt(Math.Abs(e.Id), at, exposed[Math.Abs(e.Id)]))).ToList());
        }
        finally
        {
            System.Buffers.ArrayPool<Entry>.Shared.Return(entries);
        }
    }

    private static bool IsDescending(TokenSort sort) => sort is TokenSort.LastSeenDesc or TokenSort.FirstSeenDesc or TokenSort.MaskDesc
        or TokenSort.PlatformDesc or TokenSort.StatusDesc or TokenSort.OwnerDesc or TokenSort.KindDesc or TokenSort.WriteDesc or TokenSort.BlastRadiusDesc;

    private static Func<int, bool> Matcher(FactTables facts, TokenFilter f, long at, bool[] exposed)
    {
        var t = facts.Tokens;
        var people = facts.People;
        var tests = new List<Func<int, bool>>();
        bool IsActive(int id) => TokenStatusRule.IsActive(t.StatusAt(id, at, exposed[id]));

        if (f.VisibleToPersonId is { } me) tests.Add(id => t.Owner[id] == me || t.Suggested[id] == me);
        if (f.Platform is { } platform) tests.Add(id => t.Platform[id] == (byte)platform);
        if (f.Kind is { } kind) tests.Add(id => t.Kind[id] == (byte)kind);
        if (f.Write is { } write) tests.Add(id => t.Write[id] == (byte)write);
        if (f.Status is { } status) tests.Add(id => t.StatusAt(id, at, exposed[id]) == status);
        if (f.Live) tests.Add(IsActive);
        if (f.MinBlastRadius is { } least) tests.Insert(0, id => BlastRadiusOf(t, id, at, exposed[id]) >= least);
        if (!string.IsNullOrWhiteSpace(f.Team))
        {
            var team = facts.Teams.IndexOf(f.Team.Trim());
            tests.Add(id => team >= 0 && facts.TeamOf(id) == team);
        }
        if (!string.IsNullOrWhiteSpace(f.Organization))
        {
            var orgs = facts.Organizations.Containing(f.Organization.Trim());
            tests.Add(id => t.Organizations[id] >= 0 && orgs[t.Organizations[id]]);
        }
        if (f.UnjustifiedWrite)
        {
            var justified = facts.JustifiedAt(at);
            tests.Add(id => t.Write[id] == (byte)WriteCapability.Write && IsActive(id) && !justified[id]);
        }
        switch (f.Owner?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "none":
                tests.Add(id => t.Owner[id] == 0);
                break;
            case "orphaned":
                tests.Add(id => t.Owner[id] is var o && o > 0 && o <= people.MaxId && people.Present[o]
                    && OrphanedRule.IsOrphaned(hasOwner: true, people.Active[o], t.StatusAt(id, at, exposed[id])));
                break;
            case var email:
                var person = PersonByEmail(facts, email);
                tests.Add(id => person > 0 && t.Owner[id] == person);
                break;
        }
        if (!string.IsNullOrWhiteSpace(f.Text)) tests.Add(TextMatches(facts, f.Text.Trim()));
        var all = tests.ToArray();
        return all.Length switch
        {
            0 => _ => true,
            1 => all[0],
            _ => id =>
            {
                foreach (var test in all)
                    if (!test(id)) return false;
                return true;
            },
        };
    }

    /// <summary>Free text on mask, account, organisations or any occurrence's repository (ignoring case): each distinct
    /// value is compared once, then tokens are marked through their numbers.</summary>
    private static Func<int, bool> TextMatches(FactTables facts, string text)
    {
        var t = facts.Tokens;
        var masks = facts.Masks.Containing(text);
        var accounts = facts.Accounts.Containing(text);
        var orgs = facts.Organizations.Containing(text);
        var repos = facts.Repositories.Containing(text);
        var inRepository = new bool[t.MaxId + 1];
        var o = facts.Occurrences;
        for (var id = 1; id <= o.MaxId; id++)
            if (o.Present[id] && o.Repository[id] >= 0 && repos[o.Repository[id]] && o.Token[id] < inRepository.Length) inRepository[o.Token[id]] = true;
        return id => masks[t.Mask[id]] || (t.Account[id] >= 0 && accounts[t.Account[id]])
            || (t.Organizations[id] >= 0 && orgs[t.Organizations[id]]) || inRepository[id];
    }

    private static Func<int, bool, long> SortKey(FactTables facts, TokenSort sort, long at)
    {
        var t = facts.Tokens;
        switch (sort)
        {
            case TokenSort.FirstSeenDesc or TokenSort.FirstSeenAsc:
                return (id, _) => t.FirstSeen[id];
            case TokenSort.PlatformAsc or TokenSort.PlatformDesc:
                return (id, _) => PlatformOrder[t.Platform[id]];
            case TokenSort.KindAsc or TokenSort.KindDesc:
                return (id, _) => t.Kind[id];
            case TokenSort.WriteAsc or TokenSort.WriteDesc:
                return (id, _) => t.Write[id];
            case TokenSort.BlastRadiusAsc or TokenSort.BlastRadiusDesc:
                return (id, exposed) => BlastRadiusRule.SortKey(BlastRadiusOf(t, id, at, exposed));
            case TokenSort.StatusAsc or TokenSort.StatusDesc:
                return (id, exposed) => StatusOrder[(int)t.StatusAt(id, at, exposed)];
            case TokenSort.MaskAsc or TokenSort.MaskDesc:
                var maskRank = facts.Masks.OrdinalRanks();
                return (id, _) => maskRank[t.Mask[id]];
            case TokenSort.OwnerAsc or TokenSort.OwnerDesc:
                // By the owner's e-mail; tokens without an owner first (as SQL sorts NULL).
                var people = facts.People;
                var byEmail = Enumerable.Range(1, people.MaxId).Where(p => people.Present[p]).OrderBy(p => people.Email[p], StringComparer.Ordinal).ToArray();
                var emailRank = new long[people.MaxId + 1];
                for (var r = 0; r < byEmail.Length; r++) emailRank[byEmail[r]] = r + 1;
                return (id, _) => t.Owner[id] is var o && o > 0 && o < emailRank.Length ? emailRank[o] : 0;
            default:
                return (id, _) => t.LastSeen[id];
        }
    }

    /// <summary>The score that counts as of <paramref name="at"/> (<see cref="BlastRadiusRule.Effective"/>).</summary>
    /// <remarks>Most tokens have no score or cannot write: those are 0 by the rule without working out their status, which keeps a
    /// sort over a million tokens as quick as the grid's others.</remarks>
    private static double BlastRadiusOf(TokenColumns t, int id, long at, bool exposed) =>
        t.BlastRadius[id] <= 0 || t.Write[id] != (byte)WriteCapability.Write
            ? 0
            : BlastRadiusRule.Effective(t.BlastRadius[id], WriteCapability.Write, t.StatusAt(id, at, exposed));

    private static int PersonByEmail(FactTables facts, string email)
    {
        var people = facts.People;
        for (var id = 1; id <= people.MaxId; id++)
            if (people.Present[id] && string.Equals(people.Email[id], email, StringComparison.OrdinalIgnoreCase)) return id;
        return 0;
    }

    /// <summary>The entries at ranks [skip, skip + take) in order: selects around the page (quickselect, linear on average)
    /// and sorts only the page, so a deep page of a million matches does not sort them all.</summary>
    private static Entry[] Page(Span<Entry> all, int skip, int take)
    {
        if (skip >= all.Length) return [];
        var end = (int)Math.Min((long)skip + take, all.Length);
        if (all.Length > SelectAbove && end - skip < all.Length / 2)
        {
            Quickselect.SelectNth(all, skip);
            Quickselect.SelectNth(all[skip..], end - skip - 1);
        }
        else
        {
            all.Sort();
        }
        var page = all[skip..end].ToArray();
        Array.Sort(page);
        return page;
    }

    /// <summary>A sort key and the token id as tie-break (both negated for a descending sort).</summary>
    private readonly record struct Entry(long Key, int Id) : IComparable<Entry>
    {
        public int CompareTo(Entry other) => Key != other.Key ? Key.CompareTo(other.Key) : Id.CompareTo(other.Id);
    }
}
