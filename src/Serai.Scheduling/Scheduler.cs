using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Incremental;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling;

/// <summary>
/// The scheduler: a pure function of (hub state, queue, now) to decisions. It borrows the state for the cycle,
/// tries placements on it tentatively and rolls them back, so the state is unchanged when it returns; the caller
/// applies the decisions it accepts with <see cref="DecisionApplier"/>. Its plugins are the profile's, assembled from
/// the built-in registry unless <paramref name="plugins"/> (assembled from the same profile) are given.
/// </summary>
public sealed class Scheduler(SchedulerProfile profile, PluginSet? plugins = null) : ISchedulingPolicy
{
    public SchedulerProfile Profile { get; } = profile;

    public PluginSet Plugins { get; } = plugins is null ? PluginRegistry.BuiltIn.Assemble(profile)
        : ReferenceEquals(plugins.Profile, profile) || plugins.Profile == profile ? plugins
        : throw new ArgumentException($"the plugins were assembled from profile '{plugins.Profile.Name}', not '{profile.Name}'", nameof(plugins));

    private readonly JobFactsCache _facts = new();
    private readonly LastingState _lasting = new();
    private IncrementalScheduling? _incremental;

    public string Name => Profile.Name;

    /// <summary>Whether <see cref="ISchedulingPolicy.Schedule"/> explains waits (the server shows them; the simulator does not need them).</summary>
    public bool ExplainWaits { get; init; } = true;

    CycleResult ISchedulingPolicy.Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix) =>
        Schedule(state, queue, nowUnix, observer: null, ExplainWaits);

    /// <summary>
    /// Incremental cycles: the queue and the shapes that cannot start are kept across cycles, and a cycle looks only at
    /// jobs whose outcome can have changed, with the same decisions as a full cycle. Used when waits are not explained
    /// and the profile's plugins are built-in ones the incremental cycle understands (all but least-attained order);
    /// otherwise every cycle is full. The scheduler then expects the same queue list, kept in order, from cycle to cycle.
    /// </summary>
    public bool Incremental { get; init; }

    /// <summary>
    /// With <see cref="Incremental"/>: incremental cycles start once the queue holds this many jobs and stop when it falls
    /// under a quarter of it (0: always incremental). Their bookkeeping (the queue index, dormant shapes, the snapshot a
    /// cycle may roll back to) costs more than it saves on a short queue: 40 % more time for 200,000 synthetic jobs on
    /// 100,000 GPUs whose queue stays short. Decisions are the same either way.
    /// </summary>
    public int IncrementalFromQueue { get; init; }

    private bool _incrementalOn;

    /// <summary>With <see cref="Incremental"/>: every this many cycles a full cycle runs too, as a check (0: never).</summary>
    public int FullCycleEvery { get; init; }

    /// <summary>
    /// A clock for the incremental cycles' per-phase profile (<see cref="IncrementalCounters.Seconds"/>): benchmarks pass
    /// <see cref="TimeProvider.System"/>; without one nothing is timed. Decisions never depend on it.
    /// </summary>
    public TimeProvider? ProfileTime { get; init; }

    /// <summary>Incremental and full cycles run, checks and mismatches (zero unless <see cref="Incremental"/>).</summary>
    public IncrementalCounters IncrementalCounters => _incremental?.Counters ?? new IncrementalCounters();

    /// <summary>
    /// Runs one cycle. With <paramref name="explainWaits"/> false, jobs that stay pending get no Wait decision
    /// (the simulator does not need them).
    /// </summary>
    public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix, ICycleObserver? observer = null, bool explainWaits = true)
    {
        if (Incremental && !explainWaits && IncrementalScheduling.Supports(Plugins) && DeepEnough(queue.Count))
        {
            _incremental ??= new IncrementalScheduling(Plugins, _facts, _lasting, ProfileTime);
            return _incremental.Schedule(state, queue, nowUnix, observer, FullCycleEvery);
        }
        _incremental?.Forget();
        var context = new CycleContext(state, nowUnix);
        return new SchedulingCycle(context, Plugins, _facts, observer, explainWaits, lasting: _lasting).Run(queue);
    }

    private bool DeepEnough(int queued)
    {
        _incrementalOn = IncrementalFromQueue <= 0 || queued >= (_incrementalOn ? IncrementalFromQueue / 4 : IncrementalFromQueue);
        return _incrementalOn;
    }

    /// <summary>
    /// One full cycle, whatever <see cref="Incremental"/> says, leaving the incremental state untouched and computing
    /// everything afresh, without what plugins keep across cycles (a check).
    /// </summary>
    public CycleResult ScheduleFull(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix, bool explainWaits = false) =>
        new SchedulingCycle(new CycleContext(state, nowUnix), Plugins, _facts, null, explainWaits).Run(queue);
}
