using Serai.Core.Jobs;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;

namespace Serai.Runtime.Forecast;

/// <summary>A change of the hub at a time during a projection (a what-if scenario's step), applied to its runtime.</summary>
public sealed record TimedChange(long AtUnix, string Text, Action<HubRuntime> Apply);

/// <summary>
/// Runs the hub forward from a <see cref="LiveImage"/> with the same hub runtime and scheduler the server uses, in
/// simulated time: jobs end at their time limits (jobs without one run past the horizon), site conditions turn with
/// the hours as the model forecasts them, deferred jobs wake, and <see cref="TimedChange"/>s happen at their times.
/// Nothing arrives that is not in the image (or given as <c>extra</c>). Records what happens to every job
/// (<see cref="JobTrace"/>). Deterministic: events at one instant are handled in a fixed order, as the simulator does.
/// </summary>
public sealed class HubProjection : IRuntimeEffects, IRuntimeObserver
{
    private readonly PriorityQueue<(int Slot, int Attempt, long StartUnix), (long AtUnix, long Serial)> _ends = new();
    private readonly List<TimedChange> _changes;
    private readonly Dictionary<int, JobTrace> _traces = [];
    private readonly List<(long AtUnix, int Slot, int Pool)> _timedOut = [];
    private long _serial;
    private int _nextChange;
    private readonly bool _restoring = true;

    public HubProjection(LiveImage image, ISchedulingPolicy policy, IEnumerable<JobSpec>? extra = null, IEnumerable<TimedChange>? changes = null)
    {
        _changes = [.. (changes ?? []).OrderBy(c => c.AtUnix)];
        var options = image.Options with { KeepWaitReasons = false, JournalFairShare = false, LookAheadGpus = null };
        var extraJobs = extra?.ToList() ?? [];
        Runtime = new HubRuntime(image.Hub, policy, options, image.NowUnix, this, journal: null, observer: this,
            capacity: Math.Max(16, image.Running.Count + image.Waiting.Count + extraJobs.Count));
        Runtime.ReplaceAiSystems(image.AiSystems);
        Runtime.RestoreFairShare(image.DecayedGpuSeconds, image.UsageAsOfUnix);
        for (var s = 0; s < image.Overrides.Count; s++)
        {
            Runtime.SetOverride(s, image.Overrides[s]);
        }
        for (var p = 0; p < image.Pools.Count; p++)
        {
            var nodes = image.Pools[p];
            Runtime.SetPoolClosed(p, nodes.Closed);
            for (var n = 0; n < nodes.Down.Length; n++)
            {
                Runtime.SetNodeDown(p, n, nodes.Down[n]);
                Runtime.SetNodeClosed(p, n, nodes.NodeClosed[n]);
            }
        }
        foreach (var job in image.Running)
        {
            var slot = Runtime.RestoreHolding(job.Spec, job.Placement, job.StartUnix, job.PowerFraction, 1, JobPhase.Running, image.NowUnix, 0, job.StartUnix);
            ScheduleEnd(slot, 1, job.StartUnix, job.Spec.EstimatedSeconds);
        }
        for (var p = 0; p < image.Pools.Count; p++)
        {
            var held = image.Pools[p].HeldOutside;
            if (held.Any(h => h > 0))
            {
                var pool = Runtime.State.Pools[p];
                Runtime.ObserveSiteUse(p, [.. held.Select((h, n) => h + System.Numerics.BitOperations.PopCount(pool.UsedMask(n)))], 0);
            }
        }
        foreach (var w in image.Waiting)
        {
            Runtime.RestorePending(w.Spec, w.Attempts, w.Preemptions, w.NotBeforeUnix);
        }
        foreach (var spec in extraJobs)
        {
            Runtime.Submit(spec);
        }
        _restoring = false;
        StartUnix = image.NowUnix;
    }

    /// <summary>The runtime this projection drives (its own; the live one is never touched).</summary>
    public HubRuntime Runtime { get; }

    /// <summary>When the projection began: the instant of the image.</summary>
    public long StartUnix { get; }

    /// <summary>The changes applied so far, with their times.</summary>
    public IReadOnlyList<TimedChange> Applied => _changes.Take(_nextChange).ToList();

    /// <summary>What happened to a job in this projection, or null when nothing did (it did not start, stop or slow down).</summary>
    public JobTrace? Trace(JobId job) => Runtime.Jobs.TryGetSlot(job, out var slot) && _traces.TryGetValue(slot, out var t) ? t : null;

    /// <summary>Jobs that reached their time limit at <paramref name="atUnix"/> on <paramref name="pool"/>.</summary>
    public IEnumerable<JobSpec> TimedOutAt(long atUnix, int pool) =>
        _timedOut.Where(e => e.AtUnix == atUnix && e.Pool == pool).Select(e => Runtime.Jobs.Spec[e.Slot]);

    /// <summary>Runs instant by instant until <paramref name="untilUnix"/>, or until <paramref name="done"/> says so after an instant.</summary>
    public void Run(long untilUnix, Func<bool>? done = null)
    {
        var t = Runtime.NowUnix;
        Step(t);
        while (done?.Invoke() != true)
        {
            var next = Math.Min(Runtime.NextHourUnix, Runtime.NextTimerUnix);
            if (_ends.TryPeek(out _, out var end))
            {
                next = Math.Min(next, end.AtUnix);
            }
            if (_nextChange < _changes.Count)
            {
                next = Math.Min(next, _changes[_nextChange].AtUnix);
            }
            next = Math.Max(next, t + 1);
            if (next > untilUnix)
            {
                break;
            }
            Runtime.AdvanceTo(next);
            t = next;
            Step(t);
        }
    }

    private void Step(long t)
    {
        while (_nextChange < _changes.Count && _changes[_nextChange].AtUnix <= t)
        {
            _changes[_nextChange++].Apply(Runtime);
        }
        while (_ends.TryPeek(out var e, out var at) && at.AtUnix <= t)
        {
            _ends.Dequeue();
            var jobs = Runtime.Jobs;
            if (jobs.Phase[e.Slot].HoldsGpus() && jobs.Attempt[e.Slot] == e.Attempt && jobs.LastStartUnix[e.Slot] == e.StartUnix)
            {
                _timedOut.Add((t, e.Slot, jobs.Pool[e.Slot]));
                Runtime.OnEnded(jobs.Spec[e.Slot].Id, e.Attempt, new JobEnd(EndKind.TimedOut, null, "reached its time limit"));
            }
        }
        Runtime.WakeDue(t);
        Runtime.EndInstant(t);
    }

    private void ScheduleEnd(int slot, int attempt, long startUnix, long? limitSeconds)
    {
        if (limitSeconds is { } limit)
        {
            _ends.Enqueue((slot, attempt, startUnix), (Math.Max(Runtime.NowUnix, startUnix + limit), _serial++));
        }
    }

    private JobTrace TraceOf(int slot) => _traces.TryGetValue(slot, out var t) ? t : _traces[slot] = new JobTrace();

    bool IRuntimeEffects.Dispatch(in JobDispatch dispatch)
    {
        ScheduleEnd(dispatch.Slot, dispatch.Attempt, Runtime.NowUnix, dispatch.Job.Spec.EstimatedSeconds);
        return true;
    }

    bool IRuntimeEffects.Stop(in JobStop stop) => true;

    void IRuntimeEffects.Throttle(in JobThrottle throttle)
    {
        var trace = TraceOf(throttle.Slot);
        if (throttle.PowerFraction < trace.MinPowerFraction)
        {
            trace.MinPowerFraction = throttle.PowerFraction;
            trace.FirstThrottleUnix ??= Runtime.NowUnix;
        }
    }

    void IRuntimeObserver.OnJobStarted(int slot, long nowUnix)
    {
        if (_restoring)
        {
            return;
        }
        var trace = TraceOf(slot);
        trace.Starts++;
        trace.FirstStartUnix ??= nowUnix;
        trace.FirstPool ??= Runtime.Jobs.Pool[slot];
        trace.LastPool = Runtime.Jobs.Pool[slot];
    }

    void IRuntimeObserver.OnJobStopped(int slot, long nowUnix, StopCause cause)
    {
        if (cause is StopCause.Preempted or StopCause.Drained or StopCause.SiteFailure or StopCause.VendorGone or StopCause.NodeFailure)
        {
            var trace = TraceOf(slot);
            trace.FirstStopUnix ??= nowUnix;
            trace.FirstStopCause ??= cause;
            trace.StoppedFromPool ??= Runtime.Jobs.Pool[slot];
        }
    }
}

/// <summary>What happened to one job in a projection: its starts (the first one's time and pool), stops and throttling.</summary>
public sealed class JobTrace
{
    public long? FirstStartUnix { get; internal set; }
    public int? FirstPool { get; internal set; }
    public int LastPool { get; internal set; } = -1;
    public int Starts { get; internal set; }
    public long? FirstStopUnix { get; internal set; }
    public StopCause? FirstStopCause { get; internal set; }
    public int? StoppedFromPool { get; internal set; }

    /// <summary>The lowest power fraction it was throttled to (1 when never).</summary>
    public double MinPowerFraction { get; internal set; } = 1;
    public long? FirstThrottleUnix { get; internal set; }
}
