using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// The preemption extension point, run when a job found no room: who may give way. A plugin computes victims; it
/// never stops them. The cycle releases them tentatively, runs every filter again and keeps the plan only if the job
/// then fits.
/// </summary>
public interface IPreemption
{
    string Name { get; }

    /// <summary>A cheap check before any search: could some running job on this pool give way to this one?</summary>
    bool MayFindVictims(ISchedulingView view, JobSpec job, int pool);

    /// <summary>The cheapest victims over <paramref name="pools"/> (each passed <see cref="MayFindVictims"/>), or null.</summary>
    PreemptionPlan? Plan(ISchedulingView view, JobSpec job, IReadOnlyList<int> pools, CycleState state);
}
