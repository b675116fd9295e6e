namespace GovernanceDashboard.Ingestion;

/// <summary>PostgreSQL: what an import does between writing the findings and the set-based statements that follow
/// (ownership rules, suggested owners).</summary>
internal static class PostgresImportTuning
{
    /// <summary>Refreshes the planner's statistics of the tables the import just filled, inside its transaction (ANALYZE
    /// counts the transaction's own rows). Without it a first large import into a fresh store is planned as if the tables
    /// were empty (nested loops over 100,000 rows each: measured past the 30 s command timeout at 100,000 records).</summary>
    public static async Task AfterFindingsAsync(GovernanceDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"Tokens\", \"Occurrences\", \"Exposures\", \"People\"", ct);
    }
}
