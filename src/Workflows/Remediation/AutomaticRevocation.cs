namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>The automatic policy's side of an import: inside the import's own transaction, queues the exposures it opened that the
/// policy covers, so a rolled-back import queues nothing and the worker sends them right after the commit.</summary>
public static class AutomaticRevocation
{
    /// <summary>The highest exposure id before the import writes: every exposure above it was opened by the import (SQLite has one
    /// writer at a time, and the import holds the write lock from its first row to its commit).</summary>
    public static async Task<int> ExposureFloorAsync(GovernanceDbContext db, CancellationToken ct) =>
        await db.Exposures.MaxAsync(e => (int?)e.Id, ct) ?? 0;

    /// <summary>Queues the open, escrowed exposures above <paramref name="exposureFloor"/> whose platform, severity and kind the policy
    /// revokes, unless the token already has a request waiting or sent; returns how many were queued.</summary>
    public static async Task<int> QueueOpenedAsync(GovernanceDbContext db, AutoRevokePolicy policy, int exposureFloor, DateTimeOffset now, CancellationToken ct)
    {
        if (policy.IsOff) return 0;
        var conditions = new List<string>();
        foreach (var platform in new[] { TokenPlatform.HuggingFace, TokenPlatform.GitHub })
        {
            var severities = policy.For(platform);
            var kinds = Enum.GetValues<TokenKind>().Where(k => RevocationSupport.WhyNotByApi(platform, k) is null).ToList();
            if (severities.Count == 0 || kinds.Count == 0) continue;
            // Enum names, not input: safe to write into the statement (the stored form of enums is their name).
            conditions.Add($"""(t."Platform" = '{platform}' AND e."Severity" IN ({List(severities)}) AND t."Kind" IN ({List(kinds)}))""");
        }
        if (conditions.Count == 0) return 0;
        var sql = $$"""
            INSERT INTO "RevocationRequests" ("ExposureId", "TokenId", "Platform", "State", "Attempts", "NextAttemptAt", "RequestedBy", "CreatedAt")
            SELECT e."Id", e."TokenId", t."Platform", '{{RevocationState.Queued}}', 0, {0}, {1}, {0}
            FROM "Exposures" e JOIN "Tokens" t ON t."Id" = e."TokenId"
            WHERE e."Id" > {2} AND e."State" = '{{ExposureState.Open}}' AND e."Escrow" IS NOT NULL AND ({{string.Join(" OR ", conditions)}})
              AND NOT EXISTS (SELECT 1 FROM "RevocationRequests" r WHERE r."TokenId" = e."TokenId"
                  AND r."State" IN ('{{RevocationState.Queued}}', '{{RevocationState.Failed}}', '{{RevocationState.Sent}}'))
            """;
        return await db.Database.ExecuteSqlRawAsync(sql, [now.ToUnixTimeMilliseconds(), RevocationService.AutomaticActor, exposureFloor], ct);
    }

    private static string List<T>(IEnumerable<T> values) where T : struct, Enum => string.Join(", ", values.Select(v => $"'{v}'"));
}
