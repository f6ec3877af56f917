namespace Serai.Runtime;

/// <summary>How much work the runtime did: events, cycles run and skipped, decisions applied, requeues, journal failures.</summary>
public sealed class RuntimeCounters
{
    public long Events { get; set; }
    public long Cycles { get; set; }
    public long CyclesSkipped { get; set; }

    /// <summary>Instants whose cycle was held for the next cycle interval.</summary>
    public long CyclesHeld { get; set; }
    public long Placements { get; set; }
    public long Preemptions { get; set; }
    public long Throttles { get; set; }
    public long Deferrals { get; set; }
    public long Rejections { get; set; }
    public long Completions { get; set; }

    /// <summary>Running jobs put back in the queue because their node or site was lost.</summary>
    public long FailureRequeues { get; set; }

    /// <summary>Decisions the state refused (a GPU already taken, a job not pending): scheduler bugs, counted as violations.</summary>
    public long InvalidDecisions { get; set; }

    /// <summary>What the last refused decision was and why (for the report of a run that has any).</summary>
    public string? LastInvalidDecision { get; set; }

    /// <summary>Batches the journal could not write (nothing of them was applied).</summary>
    public long JournalFailures { get; set; }
    public long DispatchFailures { get; set; }

    /// <summary>Jobs handed to a site's queue ahead of GPUs freeing (the look-ahead), and claims taken back for an emergency.</summary>
    public long QueuedAhead { get; set; }
    public long AheadWithdrawn { get; set; }
    public double CycleSecondsSum { get; set; }
    public double LastCycleSeconds { get; set; }
}
