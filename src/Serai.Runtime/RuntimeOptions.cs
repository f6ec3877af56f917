namespace Serai.Runtime;

/// <summary>Knobs of the runtime, the same in the simulator and the server.</summary>
public sealed record RuntimeOptions
{
    public double FairShareHalfLifeSeconds { get; init; } = 7 * 86400;

    /// <summary>
    /// 0: a cycle at every instant where something changed. Otherwise cycles run only at multiples of this many
    /// seconds (like Slurm's sched_interval), except that an emergency arrival runs one at once.
    /// </summary>
    public long CycleIntervalSeconds { get; init; }

    /// <summary>Keep each waiting job's last reason (the server shows them; a simulation does not need them).</summary>
    public bool KeepWaitReasons { get; init; }

    /// <summary>Put the fair-share usage in every journal batch (the server restores it after a restart).</summary>
    public bool JournalFairShare { get; init; }

    /// <summary>
    /// Per pool index, how many GPUs of jobs may wait in the pool's site queue ahead of GPUs freeing (sites that queue
    /// work themselves: Slurm). Null, missing or 0: none (the simulator, local sites); every result is then as without it.
    /// </summary>
    public IReadOnlyList<int>? LookAheadGpus { get; init; }

    /// <summary>The scheduler the look-ahead asks where waiting jobs would go (its own instance: its caches are not the cycle's); null uses the cycle's.</summary>
    public Scheduling.ISchedulingPolicy? LookAheadPolicy { get; init; }
}
