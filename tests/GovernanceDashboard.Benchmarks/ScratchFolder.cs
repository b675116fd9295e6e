namespace GovernanceDashboard.Benchmarks;

/// <summary>A run's own folder under the temp "gd-bench" folder, deleted afterwards (its SQLite pools closed first, so the
/// store's files are not held open).</summary>
public static class ScratchFolder
{
    public static async Task<int> RunAsync(string name, Func<string, Task<int>> run)
    {
        var root = Path.Combine(Path.GetTempPath(), "gd-bench", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            return await run(root);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
