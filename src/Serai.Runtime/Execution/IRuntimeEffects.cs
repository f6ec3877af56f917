using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime.Execution;

/// <summary>
/// What the runtime asks of the world: start, stop and throttle jobs. The simulator answers at once; the server
/// sends each to the job's site backend without waiting and reports back through the runtime's event methods.
/// </summary>
public interface IRuntimeEffects
{
    /// <summary>Starts an attempt of a placed job; true when it runs at once (no confirmation will follow).</summary>
    bool Dispatch(in JobDispatch dispatch);

    /// <summary>Stops an attempt; true when it stopped at once (no confirmation will follow).</summary>
    bool Stop(in JobStop stop);

    /// <summary>Caps the power of a running job's GPUs to a fraction of TDP (or restores it).</summary>
    void Throttle(in JobThrottle throttle);
}

/// <summary>An attempt to start: the job, its slot in the book, its attempt number and where it runs.</summary>
public readonly record struct JobDispatch(int Slot, int Attempt, RunningJob Job)
{
    /// <summary>
    /// Queued ahead of GPUs freeing: the site's own queue holds it until GPUs free, and the site picks the nodes (the
    /// placement gives only its shape). The backend's answer only says that the site took it.
    /// </summary>
    public bool QueuedAhead { get; init; }
}

/// <summary>An attempt to stop (on the pool it held), and why.</summary>
public readonly record struct JobStop(int Slot, JobId Job, int Attempt, int Pool, StopCause Cause);

/// <summary>A power change of a running job on its pool.</summary>
public readonly record struct JobThrottle(int Slot, JobId Job, int Attempt, int Pool, double PowerFraction, double TdpWatts);
