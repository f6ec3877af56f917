using Serai.Core.Jobs;

namespace Serai.Scheduling.Preemption;

/// <summary>Victims to stop on one pool so that a job fits, and whether they make room by priority or by reclaim.</summary>
public sealed record PreemptionPlan(int Pool, IReadOnlyList<RunningJob> Victims, bool Reclaim)
{
    /// <summary>Why every victim gives way, when the plugin's rule says (service-based baselines); null: by class or reclaim.</summary>
    public ReasonCode? VictimReason { get; init; }
}
