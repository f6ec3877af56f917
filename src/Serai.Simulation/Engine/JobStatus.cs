namespace Serai.Simulation.Engine;

/// <summary>Where a simulated job is in its life.</summary>
public enum JobStatus : byte
{
    NotArrived,
    Pending,
    Running,
    Completed,
    Rejected,

    /// <summary>Still pending or running when the run ended (stalled, or stranded by a vendor cut-off).</summary>
    Unfinished,
}

/// <summary>Why a running job stopped.</summary>
public enum StopReason : byte
{
    Completed,
    Preempted,
    NodeFailure,
    SiteFailure,
    VendorGone,

    /// <summary>Still running when the run stopped (stalled queue or horizon).</summary>
    RunEnded,
}
