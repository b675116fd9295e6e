namespace GovernanceDashboard.BlastRadius;

/// <summary>Writes what a source observed a token to reach into <see cref="TokenReach"/> and the token's score: the one way in for the
/// enrichers here and for a platform sync (which calls it with its own <paramref name="source"/> name).</summary>
public static class ReachStore
{
    /// <summary>Adds or updates the artefacts <paramref name="source"/> observed. When the observation is <paramref name="complete"/>
    /// the source's rows it no longer sees are removed and the token is marked enriched at <paramref name="at"/>; an incomplete one
    /// (cut short by a rate limit) only adds what it read. The token's score is then computed again over every source's rows. The
    /// caller saves (one SaveChanges: rows, score and its audit event together).</summary>
    public static async Task<double> ApplyAsync(GovernanceDbContext db, Token token, string source, IReadOnlyList<ReachedArtefact> artefacts, bool complete,
        DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(token);
        var rows = await db.TokenReach.Where(r => r.TokenId == token.Id).ToListAsync(ct);
        return Apply(db, token, rows, source, artefacts, complete, at);
    }

    /// <summary><see cref="ApplyAsync"/> on the token's reach rows read beforehand (<paramref name="rows"/>: all of them,
    /// tracked by <paramref name="db"/>), for a caller that reads many tokens' rows in one query.</summary>
    public static double Apply(GovernanceDbContext db, Token token, List<TokenReach> rows, string source, IReadOnlyList<ReachedArtefact> artefacts,
        bool complete, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(artefacts);
        var mine = rows.Where(r => r.Source == source).ToDictionary(r => (r.Kind, r.FullName));
        // A listing may name an artefact twice (pages shifting under the reader): the last observation wins.
        var seen = new HashSet<(ArtefactKind, string)>();
        foreach (var a in artefacts)
        {
            var key = (a.Kind, Cut(a.FullName, 300));
            seen.Add(key);
            if (!mine.TryGetValue(key, out var row))
            {
                row = new TokenReach { TokenId = token.Id, Platform = token.Platform, Kind = a.Kind, FullName = key.Item2, Source = source };
                db.TokenReach.Add(row);
                rows.Add(row);
                mine[key] = row;
            }
            (row.CanWrite, row.Stars, row.Forks, row.Downloads, row.Publishes, row.ObservedAt) = (a.CanWrite, a.Stars, a.Forks, a.Downloads, a.Publishes, at);
        }
        if (complete)
        {
            foreach (var gone in mine.Where(m => !seen.Contains(m.Key)).Select(m => m.Value).ToList())
            {
                db.TokenReach.Remove(gone);
                rows.Remove(gone);
            }
            token.ReachEnrichedAt = at;
        }
        token.BlastRadius = BlastRadiusRule.Score(rows.Select(Artefact));
        return token.BlastRadius;
    }

    public static ReachedArtefact Artefact(TokenReach r) => new(r.Kind, r.FullName, r.CanWrite, r.Stars, r.Forks, r.Downloads, r.Publishes);

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
