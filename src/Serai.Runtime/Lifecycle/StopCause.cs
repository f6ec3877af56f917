namespace Serai.Runtime.Lifecycle;

/// <summary>Why a job stopped holding GPUs.</summary>
public enum StopCause : byte
{
    Completed,
    Failed,
    TimedOut,
    Cancelled,
    Preempted,
    NodeFailure,
    SiteFailure,
    VendorGone,

    /// <summary>An operator drained its node, pool or site and chose to requeue running work.</summary>
    Drained,

    /// <summary>The backend could not start it.</summary>
    DispatchFailed,

    /// <summary>Still running when a simulated run stopped (stalled queue or horizon).</summary>
    RunEnded,
}

/// <summary>How a job's attempt ended, as its backend reports it.</summary>
public enum EndKind : byte
{
    Exited,
    TimedOut,
    NodeFailure,
    CancelledAtSite,
    Lost,
}

/// <summary>A backend's report that an attempt ended: its exit code when known, the kind and a reason a person can read.</summary>
public readonly record struct JobEnd(EndKind Kind, int? ExitCode, string Reason)
{
    public static JobEnd Exited(int code) => new(EndKind.Exited, code, code == 0 ? "exited with code 0" : $"exited with code {code}");
}
