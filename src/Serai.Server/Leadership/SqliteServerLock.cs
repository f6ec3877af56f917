namespace Serai.Server.Leadership;

/// <summary>
/// SQLite serves one server: an exclusive lock (flock) on <c>PATH.server.lock</c>, which the kernel releases when the
/// process dies, tells a second server on the same file that it is the second. It is said at start, at error level
/// and in <c>/healthz</c>; several servers need PostgreSQL (docs/server.md).
/// </summary>
public static class SqliteServerLock
{
    /// <summary>Takes the lock for as long as <paramref name="held"/> stays open; returns the warning when another server holds it.</summary>
    public static string? Take(string databasePath, ILogger logger, out IDisposable? held)
    {
        var path = Path.GetFullPath(databasePath) + ".server.lock";
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            held = new FileStream(path, options); // FileShare.None is an exclusive flock on Linux
            return null;
        }
        catch (IOException)
        {
            held = null;
            var warning = $"another serai serve already uses sqlite:{databasePath} (it holds {path}): SQLite serves one server, and two would both run the hub's jobs; stop one, or run several servers on PostgreSQL (docs/server.md)";
            logger.LogError("{Warning}", warning);
            return warning;
        }
        catch (UnauthorizedAccessException e)
        {
            held = null;
            logger.LogWarning("cannot check that no other server uses the SQLite file: {Message}", e.Message);
            return null;
        }
    }
}
