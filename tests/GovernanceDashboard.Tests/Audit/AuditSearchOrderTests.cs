using GovernanceDashboard.Audit;

namespace GovernanceDashboard.Tests.Audit;

/// <summary>The Audit page's "When" header: newest first by default, oldest first on request, page by page.</summary>
public class AuditSearchOrderTests
{
    [Fact]
    public async Task Newest_first_by_default_and_oldest_first_on_request_across_pages()
    {
        await using var store = await AuditStores.WithEventsAsync(5);
        var search = new AuditSearch(store.Factory);
        async Task<long[]> Ids(AuditFilter filter) =>
            [.. (await search.SearchAsync(filter, 1, 3)).Items.Concat((await search.SearchAsync(filter, 2, 3)).Items).Select(e => e.Id)];

        Assert.Equal(new long[] { 5, 4, 3, 2, 1 }, await Ids(new AuditFilter()));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await Ids(new AuditFilter { OldestFirst = true }));
        Assert.Equal(5, (await search.SearchAsync(new AuditFilter { OldestFirst = true }, 1, 3)).Total);
    }
}
