namespace Serai.Server.Control;

/// <summary>Timing of the control loop.</summary>
public sealed record ControlLoopOptions
{
    /// <summary>The clock moves at least this often, so that hours turn and deferred jobs wake without job events.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A full cycle runs at least this often even when nothing changed (a check that nothing was missed).</summary>
    public TimeSpan FullCycleInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Events arriving faster than this are handled together in one cycle (bounds the loop's CPU under load).</summary>
    public TimeSpan MinCycleInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Upper bound of the adaptive spacing between cycles (eight times the last step's duration).</summary>
    public TimeSpan MaxCycleInterval { get; init; } = TimeSpan.FromSeconds(1);
}
