using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Victims of a lower priority class (<c>priority</c>); with <paramref name="reclaim"/> (<c>priority-reclaim</c>) also
/// the borrowers of an accelerator when the job stays within its tenant's guarantee for it, as Kueue reclaims within a
/// cohort. Never a victim whose tenant would fall below its own guarantee, unless it is the preemptor's own tenant.
/// </summary>
public sealed class PriorityPreemption(bool reclaim) : IPreemption
{
    public string Name => reclaim ? "priority-reclaim" : "priority";

    /// <summary>Whether a job within its guarantee takes GPUs back from borrowers of the same class.</summary>
    public bool Reclaim => reclaim;

    public bool MayFindVictims(ISchedulingView view, JobSpec job, int pool) =>
        VictimRules.AnyCandidate(view, job, pool, VictimRules.Reclaims(view, job, pool, reclaim));

    public PreemptionPlan? Plan(ISchedulingView view, JobSpec job, IReadOnlyList<int> pools, CycleState state) =>
        VictimSelector.Plan(view, job, pools, state.UntilRelease<PreemptionMemo>(this), state.Lasting<VictimBounds>(this), reclaim);
}
