namespace Serai.Simulation.Engine;

/// <summary>
/// Kinds of the simulator's own events; at one timestamp they are handled in this order (lower first), after the
/// runtime turned the hour and before deferred jobs wake up and new jobs arrive.
/// </summary>
public enum EventKind : byte
{
    /// <summary>A scenario step: heat wave, grid event, failure, repair, vendor cut-off.</summary>
    Scenario = 0,

    /// <summary>A running job finishes its work (the simulated backend reports its end).</summary>
    Completion = 2,
}
