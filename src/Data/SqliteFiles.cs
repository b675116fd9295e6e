namespace GovernanceDashboard.Data;

/// <summary>The SQLite store's files are readable by the app's own user only: the folder it creates 0700, the database 0600.</summary>
/// <remarks>SQLite creates the -wal and -shm files with the database file's permissions, so creating the (empty, valid)
/// database file 0600 before SQLite first opens it covers all three. A store made before this rule is tightened on start.</remarks>
public static class SqliteFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the database's folder (0700 when it creates it) and file (0600), or tightens an existing store's files.</summary>
    public static void Prepare(string databasePath)
    {
        var folder = Path.GetDirectoryName(databasePath)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        // Only a folder made here is restricted: the store may live in a folder shared with other things (/var/lib/x).
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, OwnerOnlyFolder);
        if (!File.Exists(databasePath))
        {
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile,
            });
            return;
        }
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal" })
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerOnlyFile) != 0)
                File.SetUnixFileMode(file, OwnerOnlyFile);
    }
}
