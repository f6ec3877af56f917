namespace Serai.Execution;

/// <summary>A job could not be started; the message says why.</summary>
public sealed class DispatchException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The site could not be reached and nothing of the attempt reached it: the job may be placed again.</summary>
    public bool SiteUnreachable { get; init; }
}
