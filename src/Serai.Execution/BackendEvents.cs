namespace Serai.Execution;

/// <summary>Something a backend reports on its own: see <see cref="IExecutionBackend.EventRaised"/>.</summary>
public abstract record BackendEvent;

/// <summary>An attempt ended without Serai asking: its exit code when known, how it ended, and a reason a person can read.</summary>
public sealed record JobEnded(JobRef Job, JobEndKind Kind, int? ExitCode, string Reason) : BackendEvent;

/// <summary>A stop that Serai asked for is done: nothing of the attempt runs any more. <see cref="WasRunning"/> is false when it had already ended or was unknown.</summary>
public sealed record JobStopped(JobRef Job, StopKind Kind, bool WasRunning, string Reason) : BackendEvent;

/// <summary>A node of a pool went down, came back or was drained. The backend names it by index, by hostname, or both.</summary>
public sealed record NodeStateChanged(string Site, string Pool, int? NodeIndex, string? NodeName, NodeState State, string Reason) : BackendEvent;

/// <summary>
/// The GPUs of a pool the site's own manager reports as not free: held by any job (Serai's or one submitted to the
/// site directly) or on a node that is down or drained. Per node index when the pool names its nodes
/// (<see cref="NotFreeByNode"/>, one count per node), always as a total.
/// </summary>
public sealed record PoolGpusObserved(string Site, string Pool, IReadOnlyList<int>? NotFreeByNode, int NotFree) : BackendEvent;

/// <summary>
/// What a site made of an attempt that its owner may want to know, recorded in the job's timeline: the time limit it
/// really gave (Slurm counts whole minutes), the GPUs it really gave (Slurm's GRES detail).
/// </summary>
public sealed record JobSiteNote(JobRef Job, string Code, string Text) : BackendEvent;

/// <summary>A whole site became unreachable or reachable again (its controller, its link).</summary>
public sealed record SiteStateChanged(string Site, SiteState State, string Reason) : BackendEvent;

/// <summary>How an attempt ended.</summary>
public enum JobEndKind
{
    /// <summary>The command exited by itself; the exit code says how.</summary>
    Exited,

    /// <summary>The attempt ran past its time limit and was stopped.</summary>
    TimedOut,

    /// <summary>A node of the attempt failed.</summary>
    NodeFailure,

    /// <summary>Someone at the site (an operator, the site's own scheduler) cancelled it, not Serai.</summary>
    CancelledAtSite,

    /// <summary>The backend lost track of it: it vanished without a recorded ending.</summary>
    Lost,
}

/// <summary>State of a node as a backend sees it.</summary>
public enum NodeState
{
    Up,
    Down,
    Drained,
}

/// <summary>Whether a site can be reached.</summary>
public enum SiteState
{
    Up,
    Down,
}
