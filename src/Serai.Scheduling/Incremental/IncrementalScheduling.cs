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
internal sealed class IncrementalScheduling(PluginSet plugins, JobFactsCache facts, LastingState lasting, TimeProvider? profileTime)
{
    private readonly DormancyBook _dormancy = new(lasting);
    private QueueIndex? _index;
    private HubModel? _hub;
    private long _cycles, _deferralWorld;
    private double[]? _offsets;

    public IncrementalCounters Counters { get; } = new(profileTime);

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
            _dormancy.Clear();
            _offsets = null;
            _index = new QueueIndex(state.Hub.Tenants.Length, TenantOrder(plugins.QueueOrder), _dormancy);
        }
        var cycle = new SchedulingCycle(new CycleContext(state, nowUnix), plugins, facts, observer, explainWaits: false, _dormancy, lasting);
        var t0 = Counters.Now();
        _index!.Sync(queue, cycle.Classify, nowUnix, DeferralWorld(state));
        Counters.Time(IncrementalPhase.Sync, ref t0);
        _cycles++;
        if (_index.NeedingFullCycle == 0 && cycle.RunIncremental(_index, queue.Count, plugins.QueueOrder is FairShareOrder, Counters) is { } result)
        {
            Counters.Incremental++;
            Counters.JobsQueued += queue.Count;
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
        Counters.FellBack(_index.NeedingFullCycle != 0 ? FallbackCause.UnknownTenant
            : cycle.Fallback ?? throw new InvalidOperationException("an incremental attempt gave up without saying why"));
        return new SchedulingCycle(new CycleContext(state, nowUnix), plugins, facts, observer, explainWaits: false, _dormancy, lasting).Run(queue);
    }

    /// <summary>What the deferral plugin reads besides the clock and the job: the sites' temperature overrides.</summary>
    private long DeferralWorld(HubState state)
    {
        var changed = false;
        _offsets ??= new double[state.Hub.Sites.Length];
        for (var s = 0; s < _offsets.Length; s++)
        {
            var offset = state.Override(s).TemperatureOffsetC;
            changed |= offset != _offsets[s];
            _offsets[s] = offset;
        }
        return changed ? ++_deferralWorld : _deferralWorld;
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

/// <summary>The parts of an incremental cycle timed in <see cref="IncrementalCounters"/>.</summary>
public enum IncrementalPhase
{
    /// <summary>Bringing the queue index in step with the control loop's queue.</summary>
    Sync,

    /// <summary>Comparing the state with the last cycle's and checking dormant shapes that something loosened for.</summary>
    Recheck,

    /// <summary>Walking the order: merging tenants' buckets, passing over blocked ones.</summary>
    Order,

    /// <summary>Deciding the jobs looked at (the same code as a full cycle).</summary>
    Decide,

    /// <summary>Recording dormant shapes and the state at the end.</summary>
    End,
}

/// <summary>Why an incremental cycle gave way to a full one.</summary>
public enum FallbackCause
{
    /// <summary>The envelope throttled or shed work (power and GPUs freed).</summary>
    Envelope,

    /// <summary>A queued job names a tenant the hub does not have.</summary>
    UnknownTenant,
}

/// <summary>
/// How the incremental cycles went: how many ran incrementally, how many fell back to a full cycle, the checks
/// against full cycles, how many jobs and shapes they looked at, and the time per phase (a profile in ticks of the clock
/// the host passes in, see <see cref="Scheduler.ProfileTime"/>; the scheduler reads no clock of its own).
/// </summary>
public sealed class IncrementalCounters(TimeProvider? time = null)
{
    private readonly long[] _ticks = new long[5];
    private readonly long[] _fallbacks = new long[2];

    /// <summary>Incremental attempts that gave way to a full cycle, by cause (they are counted in <see cref="Full"/> too).</summary>
    public long FallbacksFor(FallbackCause cause) => _fallbacks[(int)cause];

    internal void FellBack(FallbackCause cause) => _fallbacks[(int)cause]++;

    public long Incremental { get; internal set; }

    /// <summary>
    /// Starts that released work (by preemption) or may have given blocked jobs victims, which incremental cycles went
    /// on from (the book followed the change, not a full cycle).
    /// </summary>
    public long Releases { get; internal set; }
    public long Full { get; internal set; }
    public long Checks { get; internal set; }
    public long Mismatches { get; internal set; }

    /// <summary>Over the incremental cycles: jobs queued, jobs looked at, and of those the ones the deferral plugin may defer.</summary>
    public long JobsQueued { get; internal set; }
    public long JobsLookedAt { get; internal set; }
    public long DeferrableLookedAt { get; internal set; }

    /// <summary>Dormant shapes checked again (something they read loosened), those that woke, and dormant shapes summed over cycles.</summary>
    public long ShapesRechecked { get; internal set; }
    public long ShapesWoken { get; internal set; }
    public long ShapesDormant { get; internal set; }

    /// <summary>Seconds spent in a phase over all incremental cycles.</summary>
    public double Seconds(IncrementalPhase phase) => time is null ? 0 : _ticks[(int)phase] / (double)time.TimestampFrequency;

    /// <summary>The profile clock now (0 without one: nothing is timed).</summary>
    internal long Now() => time?.GetTimestamp() ?? 0;

    internal void Time(IncrementalPhase phase, ref long since)
    {
        var now = Now();
        _ticks[(int)phase] += now - since;
        since = now;
    }

    internal void LookedAt(bool deferrable)
    {
        JobsLookedAt++;
        DeferrableLookedAt += deferrable ? 1 : 0;
    }

    internal void Shapes(int rechecked, int woken, int dormant)
    {
        ShapesRechecked += rechecked;
        ShapesWoken += woken;
        ShapesDormant += dormant;
    }
}
