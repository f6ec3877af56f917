namespace Serai.Simulation.Engine;

/// <summary>Kinds of simulation events; at one timestamp they are handled in this order (lower first).</summary>
public enum EventKind : byte
{
    /// <summary>A scenario step: heat wave, grid event, failure, repair, vendor cut-off.</summary>
    Scenario = 0,

    /// <summary>The hour turns: site temperature, PUE, carbon and price move.</summary>
    HourTick = 1,

    /// <summary>A running job finishes its work.</summary>
    Completion = 2,

    /// <summary>A deferred job becomes eligible again.</summary>
    WakeUp = 3,

    /// <summary>A job is submitted.</summary>
    Arrival = 4,

    /// <summary>A scheduling cycle held back to the next multiple of <see cref="SimulationOptions.CycleIntervalSeconds"/>.</summary>
    CycleDue = 5,
}
