using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Who may be preempted for whom. A victim has a lower priority class, or the preemptor reclaims its guaranteed
/// GPUs from a tenant borrowing that accelerator (victim of the same class or lower). No victim is taken if that
/// brings its tenant below its own guarantee, unless preemptor and victim share the tenant.
/// </summary>
internal static class VictimRules
{
    /// <summary>Victims cheapest to stop first: checkpointable, lowest class, youngest, smallest.</summary>
    public static readonly IComparer<RunningJob> Order = Comparer<RunningJob>.Create((x, y) =>
    {
        var c = y.Spec.Checkpointable.CompareTo(x.Spec.Checkpointable);
        if (c == 0)
        {
            c = ((int)x.Spec.Priority).CompareTo((int)y.Spec.Priority);
        }
        if (c == 0)
        {
            c = y.StartUnix.CompareTo(x.StartUnix);
        }
        if (c == 0)
        {
            c = x.Placement.Gpus.CompareTo(y.Placement.Gpus);
        }
        return c != 0 ? c : x.Id.CompareTo(y.Id);
    });

    public static bool MayPreempt(ISchedulingView view, JobSpec preemptor, RunningJob victim, int accelerator, bool reclaim, IReadOnlyDictionary<int, int> alreadyTaken)
    {
        var byPriority = victim.Spec.Priority < preemptor.Priority;
        var byReclaim = reclaim && victim.Spec.Priority <= preemptor.Priority
            && view.Allocated(victim.Spec.Tenant, accelerator) > view.Hub.Tenants[victim.Spec.Tenant].GuaranteedGpus[accelerator];
        if (!byPriority && !byReclaim)
        {
            return false;
        }
        if (victim.Spec.Tenant == preemptor.Tenant)
        {
            return true;
        }
        var after = view.Allocated(victim.Spec.Tenant, accelerator)
            - alreadyTaken.GetValueOrDefault(victim.Spec.Tenant) - victim.Placement.Gpus;
        return after >= view.Hub.Tenants[victim.Spec.Tenant].GuaranteedGpus[accelerator];
    }

    /// <summary>
    /// Cheap pre-check before scanning a pool's nodes: some running job there has a lower class, or the job reclaims
    /// and some other tenant borrows the pool's accelerator.
    /// </summary>
    public static bool AnyCandidate(ISchedulingView view, JobSpec job, int pool, bool reclaim)
    {
        if (view.RunningBelow(pool, job.Priority) > 0)
        {
            return true;
        }
        return reclaim && view.AnyOtherBorrower(view.Hub.Pools[pool].Accelerator.Index, job.Tenant);
    }

    /// <summary>Whether the job takes guaranteed GPUs back on this pool: the plugin reclaims and the job stays within its guarantee.</summary>
    public static bool Reclaims(ISchedulingView view, JobSpec job, int pool, bool reclaimPlugin) =>
        reclaimPlugin && QuotaFilter.WithinGuarantee(view, job, pool);
}
