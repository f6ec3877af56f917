using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Filters;

/// <summary>The accelerator runs one of the job's software stacks, has enough memory, and is the model asked for.</summary>
public sealed class StackAndMemoryFilter : IPoolFilter
{
    public string Name => "stack-memory";
    public FilterKind Kind => FilterKind.Permanent;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        var accelerator = view.Hub.Pools[pool].Accelerator;
        var fits = (job.StackMask & (1u << accelerator.StackBit)) != 0
            && accelerator.MemoryGb >= job.MinGpuMemoryGb
            && (job.Accelerator < 0 || job.Accelerator == accelerator.Index);
        return fits ? null : new Reason(ReasonCode.StackOrMemory, Name, pool, Have: job.MinGpuMemoryGb, Need: job.StackMask);
    }
}

/// <summary>Data residency: every dataset of the job, and the tenant, allow processing in the site's country.</summary>
public sealed class ResidencyFilter : IPoolFilter
{
    public string Name => "residency";
    public FilterKind Kind => FilterKind.Permanent;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        var allowed = AllowedCountries(view.Hub, job);
        var site = view.Hub.Sites[view.Hub.Pools[pool].Site];
        return (allowed & site.CountryMask) != 0 ? null : new Reason(ReasonCode.Residency, Name, pool, Need: allowed);
    }

    /// <summary>Countries where this job may run: the tenant's, narrowed by each of its datasets.</summary>
    public static ulong AllowedCountries(Core.Model.HubModel hub, JobSpec job)
    {
        var allowed = hub.Tenants[job.Tenant].AllowedCountriesMask;
        foreach (var d in job.Datasets)
        {
            allowed &= hub.Datasets[d].AllowedCountriesMask;
        }
        return allowed;
    }
}

/// <summary>The gang fits the pool's geometry at all: one node's GPUs, or enough nodes.</summary>
public sealed class GangShapeFilter : IPoolFilter
{
    public string Name => "gang-shape";
    public FilterKind Kind => FilterKind.Permanent;

    public Reason? Filter(ISchedulingView view, JobSpec job, int pool)
    {
        var p = view.Hub.Pools[pool];
        var shape = GangShape.For(job, p);
        return shape.Nodes <= p.Nodes ? null : new Reason(ReasonCode.GangTooLarge, Name, pool, Have: p.Gpus, Need: job.Gpus);
    }
}
