using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Deferral;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Preemption;
using Serai.Scheduling.Queue;

namespace Serai.Scheduling.Incremental;

/// <summary>
/// Runs incremental cycles for one scheduler: keeps the queue index and the dormancy book across cycles, falls back to
/// a full cycle whenever the incremental one cannot vouch for its answer, and every so often runs both and compares.
/// </summary>
internal sealed class IncrementalScheduling(PluginSet plugins, JobFactsCache facts)
{
    private readonly DormancyBook _dormancy = new();
    private QueueIndex? _index;
    private HubModel? _hub;
    private long _cycles;

    public IncrementalCounters Counters { get; } = new();

    /// <summary>
    /// Whether the profile's plugins are ones whose answers the dormancy book understands: the built-in queue orders
    /// but least-attained (which hands levels to its preemption on the side), filters, preemptions and deferral.
    /// </summary>
    public static bool Supports(PluginSet plugins) =>
        (plugins.QueueOrder is FifoOrder or PriorityOrder or ShortestJobFirstOrder or FairShareOrder)
        && plugins.StateFilters.All(f => f is PoolOpenFilter or QuotaFilter or CapacityFilter or PowerEnvelopeFilter)
        && plugins.PermanentFilters.All(f => f is StackAndMemoryFilter or GangShapeFilter or ResidencyFilter)
        && (plugins.Preemption is null or PriorityPreemption or ShortestRemainingPreemption)
        && (plugins.Deferral is null or CarbonDeferral);

    /// <summary>Forgets what it knew: a cycle ran without it.</summary>
    public void Forget() => _dormancy.Clear();

    public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix, ICycleObserver? observer, int fullCycleEvery)
    {
        if (!ReferenceEquals(state.Hub, _hub))
        {
            _hub = state.Hub;
            _index = new QueueIndex(state.Hub.Tenants.Length, TenantOrder(plugins.QueueOrder));
            _dormancy.Clear();
        }
        var cycle = new SchedulingCycle(new CycleContext(state, nowUnix), plugins, facts, observer, explainWaits: false, _dormancy);
        _index!.Sync(queue, cycle.Classify);
        _cycles++;
        if (_index.NeedingFullCycle == 0 && cycle.RunIncremental(_index, queue.Count, plugins.QueueOrder is FairShareOrder) is { } result)
        {
            Counters.Incremental++;
            Counters.JobsQueued += queue.Count;
            Counters.JobsLookedAt += cycle.LookedAt;
            if (fullCycleEvery > 0 && _cycles % fullCycleEvery == 0)
            {
                Counters.Checks++;
                var full = new SchedulingCycle(new CycleContext(state, nowUnix), plugins, facts, null, explainWaits: false).Run(queue);
                if (!SameDecisions(result, full))
                {
                    Counters.Mismatches++;
                    _dormancy.Clear();
                    return full;
                }
            }
            return result;
        }
        Counters.Full++;
        return new SchedulingCycle(new CycleContext(state, nowUnix), plugins, facts, observer, explainWaits: false, _dormancy).Run(queue);
    }

    /// <summary>Each tenant's own order: the global order of fifo, priority and sjf; class then submit time under fair share.</summary>
    private static IComparer<PendingJob> TenantOrder(IQueueOrder order) => order switch
    {
        FifoOrder => QueueOrders.FifoComparer.Instance,
        ShortestJobFirstOrder => QueueOrders.ShortestFirstComparer.Instance,
        _ => QueueOrders.PriorityComparer.Instance,
    };

    /// <summary>The same decisions in the same order, placements node for node and GPU for GPU.</summary>
    public static bool SameDecisions(CycleResult a, CycleResult b)
    {
        if (a.Decisions.Count != b.Decisions.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Decisions.Count; i++)
        {
            var (x, y) = (a.Decisions[i], b.Decisions[i]);
            if (x with { Placement = null } != y with { Placement = null } || (x.Placement is null) != (y.Placement is null))
            {
                return false;
            }
            if (x.Placement is { } p && (p.Pool != y.Placement!.Pool || !p.Nodes.AsSpan().SequenceEqual(y.Placement.Nodes)
                || !p.GpuMasks.AsSpan().SequenceEqual(y.Placement.GpuMasks)))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>How the incremental cycles went: how many ran incrementally, how many fell back, and the checks against full ones.</summary>
public sealed class IncrementalCounters
{
    public long Incremental { get; internal set; }
    public long Full { get; internal set; }
    public long Checks { get; internal set; }
    public long Mismatches { get; internal set; }

    /// <summary>Over the incremental cycles: jobs queued, and jobs the cycles actually looked at.</summary>
    public long JobsQueued { get; internal set; }
    public long JobsLookedAt { get; internal set; }
}
