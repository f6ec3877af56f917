namespace Serai.Server.Persistence;

/// <summary>
/// The database cannot be written now (locked, read-only, full, unreachable, or a write that has not returned): the
/// caller's write was not made. The API answers 503 with Retry-After; the writer keeps probing and resumes by itself.
/// </summary>
public sealed class StoreUnavailableException(string message, int retryAfterSeconds, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>When a client may try again, in seconds.</summary>
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
