namespace Serai.Server.Control;

/// <summary>Timing of the control loop.</summary>
public sealed record ControlLoopOptions
{
    /// <summary>A cycle runs at least this often, so that the envelope follows the hour without job events.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Events arriving faster than this are handled together in one cycle (bounds the loop's CPU under load).</summary>
    public TimeSpan MinCycleInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Upper bound of the adaptive spacing between cycles (eight times the last step's duration).</summary>
    public TimeSpan MaxCycleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the loop waits for the backend to confirm a cancel or preemption before going on without it.</summary>
    public TimeSpan StopConfirmTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
