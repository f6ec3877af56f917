using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Filters;

/// <summary>The pool takes new work (no vendor cut-off) and its site is up.</summary>
public sealed class PoolOpenFilter : IPoolFilter
{
    public string Name => "pool-open";
    public FilterKind Kind => FilterKind.State;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        if (view.Pool(pool).ClosedToNewWork)
        {
            return new Reason(ReasonCode.PoolClosed, Name, pool);
        }
        return view.Conditions(view.Hub.Pools[pool].Site).ClosedToNewWork ? new Reason(ReasonCode.SiteDown, Name, pool) : null;
    }
}

/// <summary>
/// Free GPUs now: one node with enough free GPUs, or enough wholly free nodes for a multi-node gang; for part of a GPU,
/// a free GPU or a shared one with enough thousandths left.
/// </summary>
public sealed class CapacityFilter : IPoolFilter
{
    public string Name => "capacity";
    public FilterKind Kind => FilterKind.Capacity;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        var state = view.Pool(pool);
        var shape = GangShape.For(job, state.Pool);
        if (Fits(job, shape, state.LargestFreeOnNode, state.FreeWholeNodes, state.LargestSharedFreeMilli))
        {
            return null;
        }
        return shape.MultiNode
            ? new Reason(ReasonCode.NoCapacity, Name, pool, Have: state.FreeWholeNodes * state.Pool.GpusPerNode, Need: job.Gpus)
            : new Reason(ReasonCode.NoCapacity, Name, pool, Have: state.LargestFreeOnNode, Need: job.Gpus);
    }

    /// <summary>
    /// The rule on the three figures it reads: enough wholly free nodes for a multi-node gang; else a node with enough
    /// free GPUs, or for part of a GPU a shared one with enough thousandths left (also read from a dormancy snapshot).
    /// </summary>
    internal static bool Fits(JobSpec job, GangShape shape, int largestFreeOnNode, int freeWholeNodes, int largestSharedFreeMilli) =>
        shape.MultiNode ? freeWholeNodes >= shape.Nodes
            : largestFreeOnNode >= job.Gpus || (job.SharesGpu && largestSharedFreeMilli >= job.GpuMilli);
}

/// <summary>
/// The site's envelope at this hour: IT power under the IT cap, heat under the cooling capacity at the outdoor
/// temperature, and IT power × PUE(T) under the grid connection.
/// </summary>
public sealed class PowerEnvelopeFilter : IPoolFilter
{
    public string Name => "power-envelope";
    public FilterKind Kind => FilterKind.Capacity;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        var p = view.Hub.Pools[pool];
        ref readonly var c = ref view.Conditions(p.Site);
        var it = view.ItWatts(p.Site);
        var delta = p.BusyDeltaWatts(job.GpuShare, job.PowerFraction);
        if (it + delta > c.ItCapWatts)
        {
            return new Reason(ReasonCode.ItPowerCap, Name, pool, Have: c.ItCapWatts - it, Need: delta);
        }
        if (it + delta > c.CoolingCapacityWatts)
        {
            return new Reason(ReasonCode.CoolingLimit, Name, pool, Have: c.CoolingCapacityWatts - it, Need: delta);
        }
        if ((it + delta) * c.Pue > c.GridWatts)
        {
            return new Reason(ReasonCode.GridLimit, Name, pool, Have: c.GridWatts - it * c.Pue, Need: delta * c.Pue);
        }
        return null;
    }
}

/// <summary>
/// Quota, the one optional filter: beyond its guarantee for this accelerator, a tenant borrows idle GPUs up to its
/// borrowing limit. Emergency work is never held back by its tenant's own limit (a flood warning must start within a
/// minute); it still cannot take another tenant below its guarantee, which the preemption rules enforce.
/// </summary>
public sealed class QuotaFilter : IPoolFilter
{
    public string Name => "quota";
    public FilterKind Kind => FilterKind.State;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        if (job.Priority == Core.Model.PriorityClass.Emergency)
        {
            return null;
        }
        var p = view.Hub.Pools[pool];
        var tenant = view.Hub.Tenants[job.Tenant];
        var a = p.Accelerator.Index;
        var held = view.AllocationGrowth(job, a);
        var allocated = view.Allocated(job.Tenant, a);
        var guaranteed = tenant.GuaranteedGpus[a];
        var borrowedAfter = view.Borrowed(job.Tenant)
            - Math.Max(0, allocated - guaranteed)
            + Math.Max(0, allocated + held - guaranteed);
        return borrowedAfter <= tenant.BorrowLimitGpus
            ? null
            : new Reason(ReasonCode.QuotaBorrowLimit, Name, pool, Have: tenant.BorrowLimitGpus, Need: borrowedAfter, Index: job.Tenant);
    }

    /// <summary>True when the job stays within its tenant's guarantee for the pool's accelerator.</summary>
    public static bool WithinGuarantee(ISchedulingView view, JobSpec job, int pool)
    {
        var p = view.Hub.Pools[pool];
        var held = view.AllocationGrowth(job, p.Accelerator.Index);
        return view.Allocated(job.Tenant, p.Accelerator.Index) + held
            <= view.Hub.Tenants[job.Tenant].GuaranteedGpus[p.Accelerator.Index];
    }
}
