namespace Serai.Simulation.Engine;

/// <summary>How much work the engine did: events, cycles run and skipped, decisions applied, requeues.</summary>
public sealed class SimulationCounters
{
    public long Events { get; set; }
    public long Cycles { get; set; }
    public long CyclesSkipped { get; set; }

    /// <summary>Timestamps whose cycle was held for the next cycle interval.</summary>
    public long CyclesHeld { get; set; }
    public long Placements { get; set; }
    public long Preemptions { get; set; }
    public long Throttles { get; set; }
    public long Deferrals { get; set; }
    public long Rejections { get; set; }
    public long FailureRequeues { get; set; }

    /// <summary>Decisions the state refused (a GPU already taken, a job not pending): scheduler bugs, counted as violations.</summary>
    public long InvalidDecisions { get; set; }

    public long LostWorkGpuSeconds { get; set; }
}
