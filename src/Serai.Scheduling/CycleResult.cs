namespace Serai.Scheduling;

/// <summary>The decisions of one cycle, in the order they must be applied, and what the cycle looked at.</summary>
public sealed record CycleResult(IReadOnlyList<Decision> Decisions, int JobsConsidered, int Placed, int Preempted, int Throttled, int Deferred, int Rejected);
