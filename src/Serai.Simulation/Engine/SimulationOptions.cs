namespace Serai.Simulation.Engine;

/// <summary>Knobs of the simulated backend and the run; defaults are documented in docs/simulator.md.</summary>
public sealed record SimulationOptions
{
    /// <summary>2026-01-01T00:00Z.</summary>
    public const long DefaultStartUnix = 1_767_225_600;

    public long StartUnix { get; init; } = DefaultStartUnix;

    /// <summary>Checkpointable jobs keep the work up to their last checkpoint, taken every this many seconds of work.</summary>
    public long CheckpointIntervalSeconds { get; init; } = 1800;

    /// <summary>A job throttled from fraction f0 to f of TDP runs at speed (f / f0) ^ this exponent.</summary>
    public double ThrottleSpeedExponent { get; init; } = 0.5;

    /// <summary>Stop when nothing runs, nothing arrives and the queue has not moved for this many simulated hours.</summary>
    public int MaxStallHours { get; init; } = 24 * 14;

    /// <summary>
    /// 0: a cycle at every timestamp where something changed. Otherwise cycles run only at multiples of this many
    /// seconds (like Slurm's sched_interval), except that an emergency arrival runs one at once.
    /// </summary>
    public long CycleIntervalSeconds { get; init; }

    public double FairShareHalfLifeSeconds { get; init; } = 7 * 86400;

    /// <summary>
    /// The simulated backend confirms starts and stops later in the same instant, as a real backend does (the runtime
    /// then holds a preemptor until its victims are confirmed stopped), instead of at once.
    /// </summary>
    public bool ConfirmAsynchronously { get; init; }

    /// <summary>
    /// Incremental scheduling cycles (see <see cref="Scheduling.Scheduler.Incremental"/>): the same decisions as full
    /// cycles, at the cost of what changed. On by default; off runs every cycle over the whole queue.
    /// </summary>
    public bool IncrementalScheduling { get; init; } = true;

    /// <summary>
    /// With <see cref="IncrementalScheduling"/>: the queue depth at which incremental cycles start (they stop under a
    /// quarter of it). Measured: the ITP trace (136 waiting on average) takes 5.2-6.4 s at 100, 7.0 s at 400 and 8 s
    /// with full cycles only; 50,000 synthetic jobs (32 waiting on average) take 8.2 s with incremental cycles always
    /// and 4.8-5.6 s at 100, where a short queue is cheaper to walk whole.
    /// </summary>
    public int IncrementalFromQueue { get; init; } = 100;

    /// <summary>Run time by accelerator relative to the trace's reference GPU; off by default.</summary>
    public SpeedModel Speed { get; init; } = SpeedModel.Off;
}
