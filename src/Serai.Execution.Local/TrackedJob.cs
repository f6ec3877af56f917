namespace Serai.Execution.Local;

/// <summary>
/// An attempt the local backend watches: started here (with its launch) or reattached after a restart. Its phase moves
/// once from running to ended or to stopping, so that exactly one of JobEnded and JobStopped reports how it finished.
/// </summary>
internal sealed class TrackedJob(JobRef job, int processGroup, long? start, JobLaunch? launch, bool startedHere)
{
    private readonly Lock _gate = new();
    private Phase _phase = Phase.Running;

    private enum Phase
    {
        Running,
        Stopping,
        Ended,
    }

    public JobRef Job { get; } = job;
    public int ProcessGroup { get; } = processGroup;

    /// <summary>When the group's leader started (clock ticks after boot): tells our process from a later one with the same pid.</summary>
    public long? Start { get; } = start;
    public JobLaunch? Launch { get; } = launch;

    /// <summary>True for a process this server started and waits for; false for one reattached after a restart (polled).</summary>
    public bool StartedHere { get; } = startedHere;

    public volatile bool TimedOut;

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _phase == Phase.Running;
            }
        }
    }

    /// <summary>Running → stopping; false when a stop is already under way or the attempt has ended.</summary>
    public bool TryBeginStop(out bool alreadyStopping)
    {
        lock (_gate)
        {
            alreadyStopping = _phase == Phase.Stopping;
            if (_phase != Phase.Running)
            {
                return false;
            }
            _phase = Phase.Stopping;
            return true;
        }
    }

    /// <summary>Running → ended; false when a stop took it over (the stop reports instead).</summary>
    public bool TryEnd()
    {
        lock (_gate)
        {
            if (_phase != Phase.Running)
            {
                return false;
            }
            _phase = Phase.Ended;
            return true;
        }
    }
}
