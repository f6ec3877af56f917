using Serai.Core.Jobs;
using Serai.Scheduling.Filters;

namespace Serai.Scheduling.Plugins;

/// <summary>
/// The one place filters run. For one (job, pool): the filters in order, stopping at the first rejection, which comes
/// back as a value naming the plugin. Over several pools: the pools that pass, and the rejection of the pool that came
/// closest (passed the most filters), which is what a waiting or rejected job is told.
/// </summary>
public static class FilterRunner
{
    /// <summary>The first rejection of <paramref name="filters"/> for the job on the pool, or null when all pass.</summary>
    public static Reason? Run(ISchedulingView view, JobSpec job, int pool, ReadOnlySpan<IPoolFilter> filters) =>
        Run(view, job, pool, filters, out _);

    /// <summary>As <see cref="Run(ISchedulingView, JobSpec, int, ReadOnlySpan{IPoolFilter})"/>; <paramref name="passed"/> counts the filters passed.</summary>
    public static Reason? Run(ISchedulingView view, JobSpec job, int pool, ReadOnlySpan<IPoolFilter> filters, out int passed)
    {
        for (passed = 0; passed < filters.Length; passed++)
        {
            var filter = filters[passed];
            if (filter.Filter(view, job, pool) is { } rejection)
            {
                return rejection.Plugin == filter.Name ? rejection : rejection with { Plugin = filter.Name };
            }
        }
        return null;
    }

    /// <summary>
    /// Adds to <paramref name="passing"/> each of <paramref name="pools"/> that passes every filter, and returns the
    /// rejection of the pool that passed the most filters (the first such pool; with <paramref name="preferMoreHave"/>,
    /// among equals the one that has the most, e.g. free GPUs). <c>default</c> when no pool was rejected.
    /// </summary>
    public static Reason Closest(ISchedulingView view, JobSpec job, ReadOnlySpan<int> pools, ReadOnlySpan<IPoolFilter> filters,
        List<int> passing, bool preferMoreHave)
    {
        Reason closest = default;
        var furthest = -1;
        foreach (var p in pools)
        {
            if (Run(view, job, p, filters, out var passed) is not { } rejection)
            {
                passing.Add(p);
            }
            else if (passed > furthest || (preferMoreHave && passed == furthest && rejection.Have > closest.Have))
            {
                (furthest, closest) = (passed, rejection);
            }
        }
        return closest;
    }
}
