namespace Serai.Runtime.Lifecycle;

/// <summary>
/// Where a job is in its life. Pending → Admitted (GPUs held) → Starting (sent to its backend) → Running →
/// Succeeded | Failed | TimedOut, or → Stopping (a stop was sent) → Pending (preempted, requeued) | Cancelled.
/// </summary>
public enum JobPhase : byte
{
    /// <summary>Not (yet) in the book: a simulated job that has not arrived.</summary>
    None,
    Pending,
    Admitted,
    Starting,
    Running,
    Stopping,
    Succeeded,
    Failed,
    Cancelled,
    TimedOut,

    /// <summary>The job can never run on this hub as specified (a final state; stored as failed by the server).</summary>
    Rejected,
}

/// <summary>Facts about phases.</summary>
public static class JobPhases
{
    /// <summary>The job ended and will never run again.</summary>
    public static bool IsFinal(this JobPhase phase) => phase >= JobPhase.Succeeded;

    /// <summary>The job holds GPUs in the hub state.</summary>
    public static bool HoldsGpus(this JobPhase phase) => phase is JobPhase.Admitted or JobPhase.Starting or JobPhase.Running;

    /// <summary>The lower-case word the API and the database use.</summary>
    public static string Word(this JobPhase phase) => phase switch
    {
        JobPhase.None => "none",
        JobPhase.Pending => "pending",
        JobPhase.Admitted => "admitted",
        JobPhase.Starting => "starting",
        JobPhase.Running => "running",
        JobPhase.Stopping => "stopping",
        JobPhase.Succeeded => "succeeded",
        JobPhase.Failed => "failed",
        JobPhase.Cancelled => "cancelled",
        JobPhase.TimedOut => "timed-out",
        JobPhase.Rejected => "rejected",
        _ => phase.ToString().ToLowerInvariant(),
    };
}
