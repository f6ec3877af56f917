namespace Serai.Server.Persistence;

/// <summary>
/// The server's state is its own: the data folder (job directories, the SQLite file by default) 0700 and the SQLite
/// database with its journal files 0600, so no other account of the machine (a tenant's job included) can read tokens,
/// jobs or settings from them.
/// </summary>
public static class StateFiles
{
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the data folder owner-only and makes the SQLite files (if the database is one) owner-only.</summary>
    public static void Protect(string dataDirectory, DatabaseUrl database)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var data = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, OwnerDirectory);
        if (database.Kind != DatabaseKind.Sqlite || database.SqlitePath is not { Length: > 0 } path || path == ":memory:")
        {
            return;
        }
        var file = Path.GetFullPath(path);
        // The database's own folder only when it is the data folder's: a database put in a shared folder (/tmp) must not
        // close that folder to everyone else.
        if (Path.GetDirectoryName(file) is { } folder && (folder + "/").StartsWith(data.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            File.SetUnixFileMode(folder, OwnerDirectory);
        }
        foreach (var candidate in (string[])[file, file + "-wal", file + "-shm", file + "-journal"])
        {
            if (File.Exists(candidate))
            {
                File.SetUnixFileMode(candidate, OwnerFile);
            }
        }
    }
}
