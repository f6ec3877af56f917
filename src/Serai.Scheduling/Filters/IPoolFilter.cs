using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Filters;

/// <summary>When a filter's answer can change, which decides what a rejection means.</summary>
public enum FilterKind
{
    /// <summary>Depends only on the hub and the job's shape (stacks, memory, model, gang, datasets): no pool passing means reject.</summary>
    Permanent,

    /// <summary>Depends on the state now (a closed pool, a quota): the job waits.</summary>
    State,

    /// <summary>Free GPUs or power now: the job waits, and stopping running work (preemption) can clear it.</summary>
    Capacity,
}

/// <summary>
/// The filter extension point: may this job run on this pool? Returns null to pass, or a <see cref="Reason"/> (naming
/// the plugin) to reject. A permanent filter may read only the hub and the job's shape, so that its result is cached.
/// </summary>
public interface IPoolFilter
{
    string Name { get; }

    FilterKind Kind { get; }

    Reason? Filter(ISchedulingView view, JobSpec job, int pool);
}
