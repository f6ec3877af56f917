namespace Serai.Simulation.Engine;

/// <summary>How a simulated job ended, read from its phase in the runtime's book when the run is over.</summary>
public enum JobStatus : byte
{
    Completed,
    Rejected,

    /// <summary>Still pending or running when the run ended (stalled, or stranded by a vendor cut-off), or failed.</summary>
    Unfinished,
}
