using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling;
using Serai.Simulation.Scenarios;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Engine;

/// <summary>
/// Deterministic discrete-event replay of a workload through a scheduling policy on a simulated backend. Integer
/// time in Unix seconds; events ordered by (time, kind, serial); every event at a timestamp is handled before one
/// scheduler cycle, and the cycle is skipped when nothing happened that could change a decision.
/// </summary>
public sealed partial class Simulator
{
    private readonly EventQueue _events = new();
    private readonly List<PendingJob> _queue = [];
    private readonly List<int> _requeued = [];
    private readonly long[] _deferUntil;
    private readonly ISimulationObserver[] _observers;
    private readonly OverrideBook _overrides;
    private readonly IReadOnlyList<ScenarioStep> _steps;
    private int _nextArrival;
    private int _timedEventsPending;
    private int _stallHours;
    private int _parked;
    private bool _dirty;
    private bool _envelopeChanged;
    private bool _urgent;
    private bool _heldDirty;
    private bool _heldEnvelope;
    private long _cycleDueUnix = -1;

    public Simulator(HubModel hub, Workload workload, ISchedulingPolicy policy, SimulationOptions options, Scenario? scenario = null, IEnumerable<ISimulationObserver>? observers = null)
    {
        Hub = hub;
        Workload = workload;
        Policy = policy;
        Options = options;
        Scenario = scenario ?? Scenario.None;
        _steps = Scenario.Steps;
        Jobs = new JobTable(workload);
        _deferUntil = new long[workload.Count];
        _observers = observers?.ToArray() ?? [];
        _overrides = new OverrideBook(hub.Sites.Length);
        var firstSubmit = workload.Count > 0 ? workload.Jobs[0].SubmitUnix : options.StartUnix;
        NowUnix = Math.Min(options.StartUnix, firstSubmit);
        State = new HubState(hub, NowUnix, options.FairShareHalfLifeSeconds);
        Ledger = new SiteLedger(hub.Sites.Length);
    }

    public HubModel Hub { get; }
    public Workload Workload { get; }
    public ISchedulingPolicy Policy { get; }
    public SimulationOptions Options { get; }
    public Scenario Scenario { get; }
    public HubState State { get; }
    public JobTable Jobs { get; }
    public SiteLedger Ledger { get; }
    public long NowUnix { get; private set; }
    public long StartedUnix { get; private set; }
    /// <summary>Jobs waiting: in the queue, or deferred and parked until their wake-up.</summary>
    public int PendingCount => _queue.Count + _parked;
    public int ArrivedCount => _nextArrival;
    public SimulationCounters Counters { get; } = new();

    /// <summary>Runs to the end; <paramref name="progress"/> gets the share of jobs that have arrived, now and then.</summary>
    public SimulationCounters Run(Action<double>? progress = null)
    {
        StartedUnix = NowUnix;
        Ledger.Refresh(State, NowUnix);
        PushTimed(NextHour(NowUnix), EventKind.HourTick, 0);
        for (var i = 0; i < _steps.Count; i++)
        {
            PushTimed(Math.Max(NowUnix, _steps[i].AtUnix), EventKind.Scenario, i);
        }
        var reportEvery = Math.Max(1, Workload.Count / 200);
        var nextReport = reportEvery;
        while (NextTime() is var t && t != long.MaxValue)
        {
            if (t > NowUnix)
            {
                Advance(t);
            }
            _dirty = false;
            _envelopeChanged = false;
            _urgent = false;
            HandleEventsAt(t);
            State.AdvanceUsage(t);
            if (HoldCycle(t))
            {
                Counters.CyclesHeld++;
            }
            else if (_dirty && (_queue.Count > 0 || (_envelopeChanged && State.Running.Count > 0)))
            {
                RunCycle(t);
            }
            else
            {
                Counters.CyclesSkipped++;
            }
            foreach (var o in _observers)
            {
                o.OnTimestampDone(this, t);
            }
            if (progress is not null && _nextArrival >= nextReport)
            {
                progress((double)_nextArrival / Math.Max(1, Workload.Count));
                nextReport = _nextArrival + reportEvery;
            }
        }
        Finish();
        progress?.Invoke(1);
        return Counters;
    }

    private long NextTime()
    {
        var heap = _events.TryPeek(out var e) ? e.TimeUnix : long.MaxValue;
        var arrival = _nextArrival < Workload.Count ? Workload.Jobs[_nextArrival].SubmitUnix : long.MaxValue;
        return Math.Min(heap, arrival);
    }

    private void Advance(long toUnix)
    {
        var from = NowUnix;
        foreach (var o in _observers)
        {
            o.OnAdvance(this, from, toUnix);
        }
        Ledger.Advance(toUnix - from);
        NowUnix = toUnix;
    }

    private void HandleEventsAt(long t)
    {
        while (_events.TryPeek(out var e) && e.TimeUnix == t)
        {
            _events.Pop();
            Counters.Events++;
            switch (e.Kind)
            {
                case EventKind.Scenario:
                    _timedEventsPending--;
                    ApplyStep(_steps[e.Subject], t);
                    break;
                case EventKind.HourTick:
                    OnHourTick(t);
                    break;
                case EventKind.Completion:
                    OnCompletion(e, t);
                    break;
                case EventKind.WakeUp:
                    _timedEventsPending--;
                    WakeUp(e.Subject, t);
                    break;
                case EventKind.CycleDue:
                    _cycleDueUnix = -1;
                    break;
            }
        }
        while (_nextArrival < Workload.Count && Workload.Jobs[_nextArrival].SubmitUnix == t)
        {
            var i = _nextArrival++;
            Counters.Events++;
            Jobs.Status[i] = JobStatus.Pending;
            _queue.Add(new PendingJob(Workload.Jobs[i]));
            _dirty = true;
            _urgent |= Workload.Jobs[i].Priority == Core.Model.PriorityClass.Emergency;
        }
    }

    /// <summary>With a cycle interval, keeps what happened for the next multiple of it (unless an emergency arrived).</summary>
    private bool HoldCycle(long t)
    {
        var interval = Options.CycleIntervalSeconds;
        if (interval <= 0)
        {
            return false;
        }
        if (t % interval == 0 || _urgent)
        {
            _dirty |= _heldDirty;
            _envelopeChanged |= _heldEnvelope;
            _heldDirty = _heldEnvelope = false;
            return false;
        }
        if (!_dirty)
        {
            return false;
        }
        _heldDirty = true;
        _heldEnvelope |= _envelopeChanged;
        var due = (t / interval + 1) * interval;
        if (_cycleDueUnix != due)
        {
            _cycleDueUnix = due;
            _events.Push(due, EventKind.CycleDue, 0);
        }
        return true;
    }

    private void WakeUp(int i, long t)
    {
        if (_deferUntil[i] != t || Jobs.Status[i] != JobStatus.Pending)
        {
            return;
        }
        _deferUntil[i] = 0;
        _parked--;
        _queue.Add(new PendingJob(Workload.Jobs[i], t, WasDeferred: true));
        _dirty = true;
    }

    private void OnHourTick(long t)
    {
        Ledger.Refresh(State, t);
        foreach (var o in _observers)
        {
            o.OnHour(this, t);
        }
        _dirty = true;
        _envelopeChanged = true;
        var active = _nextArrival < Workload.Count || State.Running.Count > 0 || _timedEventsPending > 0;
        _stallHours = active ? 0 : _stallHours + 1;
        if (active || (_queue.Count > 0 && _stallHours <= Options.MaxStallHours))
        {
            PushTimed(t + 3600, EventKind.HourTick, 0);
        }
    }

    private void PushTimed(long timeUnix, EventKind kind, int subject)
    {
        if (kind != EventKind.HourTick)
        {
            _timedEventsPending++;
        }
        _events.Push(timeUnix, kind, subject);
    }

    private static long NextHour(long unix) => (unix / 3600 + 1) * 3600;

    private void Finish()
    {
        for (var i = 0; i < Jobs.Count; i++)
        {
            if (Jobs.Status[i] == JobStatus.Running)
            {
                CloseSegment(i, NowUnix);
                Jobs.Status[i] = JobStatus.Unfinished;
                foreach (var o in _observers)
                {
                    o.OnJobStopped(this, i, NowUnix, StopReason.RunEnded);
                }
            }
            else if (Jobs.Status[i] is JobStatus.Pending or JobStatus.NotArrived)
            {
                Jobs.Status[i] = JobStatus.Unfinished;
            }
        }
        foreach (var o in _observers)
        {
            o.OnFinished(this);
        }
    }
}
