using Serai.Scheduling.Deferral;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Preemption;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Queue;
using Serai.Scheduling.Scores;

namespace Serai.Scheduling.Plugins;

/// <summary>
/// The plugins of one profile, by extension point, as <see cref="PluginRegistry.Assemble"/> built them: the safety
/// filters and the profile's optional ones, in registry order; scores with their weights, those weighted 0 left out.
/// </summary>
public sealed class PluginSet
{
    internal PluginSet(SchedulerProfile profile, IQueueOrder queueOrder, IPoolFilter[] filters, WeightedScore[] scores,
        IPreemption? preemption, IDeferral? deferral)
    {
        Profile = profile;
        QueueOrder = queueOrder;
        PermanentFilters = [.. filters.Where(f => f.Kind == FilterKind.Permanent)];
        StateFilters = [.. filters.Where(f => f.Kind != FilterKind.Permanent)];
        StateFiltersButCapacity = [.. filters.Where(f => f.Kind == FilterKind.State)];
        WeightedScores = scores;
        Preemption = preemption;
        Deferral = deferral;
    }

    /// <summary>The profile this set was assembled from: its settings (order, backfill, deferral) drive the cycle.</summary>
    public SchedulerProfile Profile { get; }

    public IQueueOrder QueueOrder { get; }

    /// <summary>Filters on the hub and the job's shape: a job no pool passes is rejected.</summary>
    public IReadOnlyList<IPoolFilter> Permanent => PermanentFilters;

    /// <summary>Filters on the state now, capacity ones included: a job no pool passes waits.</summary>
    public IReadOnlyList<IPoolFilter> State => StateFilters;

    public IReadOnlyList<WeightedScore> Scores => WeightedScores;

    public IPreemption? Preemption { get; }

    public IDeferral? Deferral { get; }

    /// <summary>Every plugin's name, by extension point.</summary>
    public IEnumerable<string> Names =>
        new[] { QueueOrder.Name }
            .Concat(PermanentFilters.Concat(StateFilters).Select(f => f.Name))
            .Concat(WeightedScores.Select(s => s.Score.Name))
            .Concat(Preemption is null ? [] : [Preemption.Name])
            .Concat(Deferral is null ? [] : [Deferral.Name]);

    // Arrays for the hot loops: a span over them costs no enumerator.
    internal IPoolFilter[] PermanentFilters { get; }
    internal IPoolFilter[] StateFilters { get; }

    /// <summary>State filters that stopping running work cannot clear: preemption looks only where these pass.</summary>
    internal IPoolFilter[] StateFiltersButCapacity { get; }

    internal WeightedScore[] WeightedScores { get; }
}
