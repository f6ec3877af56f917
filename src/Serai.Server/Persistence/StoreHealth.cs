using Microsoft.Data.Sqlite;
using Npgsql;

namespace Serai.Server.Persistence;

/// <summary>
/// Whether the database takes writes, as the writer last found it. A write that fails because of the database itself
/// (not because of what it wrote) marks the store unavailable: writes are then refused at once instead of each
/// waiting out a lock, until a probe write succeeds. <c>/healthz</c> reports it.
/// </summary>
public sealed class StoreHealth(TimeProvider time)
{
    /// <summary>What a client is told to wait before it tries again, in seconds.</summary>
    public const int RetryAfterSeconds = 2;

    private volatile Problem? _problem;

    /// <summary>Null while writes go through; else why they do not, and since when.</summary>
    public (string Message, DateTimeOffset Since)? Failing => _problem is { } p ? (p.Message, p.Since) : null;

    public bool Writable => _problem is null;

    /// <summary>The exception a refused write gets.</summary>
    public StoreUnavailableException Refusal(Exception? cause = null)
    {
        var since = _problem?.Since ?? time.GetUtcNow();
        var why = cause?.Message ?? _problem?.Message ?? "unknown";
        return new StoreUnavailableException(
            $"the database cannot be written since {since:yyyy-MM-ddTHH:mm:ssZ} ({why}); nothing was changed, try again", RetryAfterSeconds, cause);
    }

    /// <summary>Records why writes fail; true when the store was writable until now.</summary>
    public bool MarkFailing(Exception cause)
    {
        var was = _problem;
        _problem = new Problem(Describe(cause), was?.Since ?? time.GetUtcNow());
        return was is null;
    }

    /// <summary>Writes go through again; returns how long they did not (null when they did all along).</summary>
    public TimeSpan? MarkWritable()
    {
        var was = _problem;
        _problem = null;
        return was is null ? null : time.GetUtcNow() - was.Since;
    }

    /// <summary>
    /// True when the exception says the database cannot take writes now (busy or locked, read-only, full, an I/O error,
    /// unreachable, shutting down), so that retrying the same write later may succeed; false for a write that is wrong
    /// in itself (a constraint, a bug), which fails alone.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        StoreUnavailableException or TimeoutException => true,
        // BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB (primary codes; extended ones carry them in the low byte)
        SqliteException s => (s.SqliteErrorCode & 0xff) is 5 or 6 or 8 or 10 or 11 or 13 or 14 or 15 or 26,
        // connection (08), resources such as a full disk (53), operator intervention such as a shutdown (57),
        // a read-only transaction on a standby (25006), a lock not available in time (55P03), a timeout (57014 is in 57)
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57", StringComparison.Ordinal) || p.SqlState is "25006" or "55P03",
        NpgsqlException => true, // not a server's answer: the connection failed
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };

    private static string Describe(Exception e) => e is StoreUnavailableException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    private sealed record Problem(string Message, DateTimeOffset Since);
}
