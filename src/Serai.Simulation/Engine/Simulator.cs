using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Runtime;
using Serai.Runtime.Accounting;
using Serai.Runtime.Book;
using Serai.Runtime.Journal;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Simulation.Scenarios;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Engine;

/// <summary>
/// Deterministic discrete-event replay of a workload through the hub runtime (the same one the live server runs)
/// with simulated time and a simulated backend. Integer time in Unix seconds; events ordered by (time, kind,
/// serial); at each timestamp the runtime turns the hour, then scenario steps and completions are handled, deferred
/// jobs wake up and new jobs arrive, and the runtime runs one cycle if something changed.
/// </summary>
public sealed partial class Simulator : IRuntimeObserver
{
    private readonly EventQueue _events = new();
    private readonly ISimulationObserver[] _observers;
    private readonly OverrideBook _overrides;
    private readonly IReadOnlyList<ScenarioStep> _steps;
    private readonly SimulatedBackend _backend;
    private int _nextArrival;
    private int _stepsPending;
    private int _stallHours;
    private bool _hoursWanted = true;

    public Simulator(HubModel hub, Workload workload, ISchedulingPolicy policy, SimulationOptions options, Scenario? scenario = null,
        IEnumerable<ISimulationObserver>? observers = null, IRuntimeJournal? journal = null)
    {
        Workload = workload;
        Options = options;
        Scenario = scenario ?? Scenario.None;
        _steps = Scenario.Steps;
        _observers = observers?.ToArray() ?? [];
        _overrides = new OverrideBook(hub.Sites.Length);
        _backend = new SimulatedBackend(this, workload.Count);
        DeferredUntilUnix = new long[workload.Count];
        var firstSubmit = workload.Count > 0 ? workload.Jobs[0].SubmitUnix : options.StartUnix;
        var runtimeOptions = new RuntimeOptions
        {
            FairShareHalfLifeSeconds = options.FairShareHalfLifeSeconds,
            CycleIntervalSeconds = options.CycleIntervalSeconds,
        };
        Runtime = new HubRuntime(hub, policy, runtimeOptions, Math.Min(options.StartUnix, firstSubmit), _backend, journal, observer: this, capacity: workload.Count);
    }

    /// <summary>The hub runtime this run drives.</summary>
    public HubRuntime Runtime { get; }
    public HubModel Hub => Runtime.Hub;
    public Workload Workload { get; }
    public ISchedulingPolicy Policy => Runtime.Policy;
    public SimulationOptions Options { get; }
    public Scenario Scenario { get; }
    public HubState State => Runtime.State;

    /// <summary>Every job's phase, placement, times and accounting (slot = index in the workload).</summary>
    public JobBook Jobs => Runtime.Jobs;
    public SiteLedger Ledger => Runtime.Ledger;
    public long NowUnix => Runtime.NowUnix;
    public long StartedUnix { get; private set; }

    /// <summary>Jobs waiting: in the queue, or deferred and parked until their wake-up.</summary>
    public int PendingCount => Runtime.PendingCount;
    public int ArrivedCount => _nextArrival;
    public RuntimeCounters Counters => Runtime.Counters;

    /// <summary>Per job, the time the scheduler last deferred it to (it waited outside the queue until then), or 0 if never deferred.</summary>
    public long[] DeferredUntilUnix { get; }

    /// <summary>GPU-seconds of work lost to preemptions and failures (since the last checkpoint).</summary>
    public long LostWorkGpuSeconds => _backend.LostWorkGpuSeconds;

    /// <summary>How job <paramref name="i"/> ended, once the run is over.</summary>
    public JobStatus Status(int i) => i >= Jobs.Count ? JobStatus.Unfinished : Jobs.Phase[i] switch
    {
        JobPhase.Succeeded => JobStatus.Completed,
        JobPhase.Rejected => JobStatus.Rejected,
        _ => JobStatus.Unfinished,
    };

    /// <summary>Runs to the end; <paramref name="progress"/> gets the share of jobs that have arrived, now and then.</summary>
    public RuntimeCounters Run(Action<double>? progress = null)
    {
        StartedUnix = NowUnix;
        for (var i = 0; i < _steps.Count; i++)
        {
            _events.Push(Math.Max(NowUnix, _steps[i].AtUnix), EventKind.Scenario, i);
            _stepsPending++;
        }
        var reportEvery = Math.Max(1, Workload.Count / 200);
        var nextReport = reportEvery;
        while (NextTime() is var t && t != long.MaxValue)
        {
            Runtime.AdvanceTo(t);
            HandleEventsAt(t);
            Runtime.WakeDue(t);
            while (_nextArrival < Workload.Count && Workload.Jobs[_nextArrival].SubmitUnix == t)
            {
                Runtime.Submit(Workload.Jobs[_nextArrival++]);
            }
            Runtime.EndInstant(t);
            while (Retry(_backend, static backend => backend.DeliverConfirmations()))
            {
                // a confirmed stop can free GPUs that held a placed job back: it starts in this instant too
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
        var own = _events.TryPeek(out var e) ? e.TimeUnix : long.MaxValue;
        var arrival = _nextArrival < Workload.Count ? Workload.Jobs[_nextArrival].SubmitUnix : long.MaxValue;
        var hour = _hoursWanted ? Runtime.NextHourUnix : long.MaxValue;
        return Math.Min(Math.Min(own, arrival), Math.Min(hour, Runtime.NextTimerUnix));
    }

    private void HandleEventsAt(long t)
    {
        while (_events.TryPeek(out var e) && e.TimeUnix == t)
        {
            _events.Pop();
            switch (e.Kind)
            {
                case EventKind.Scenario:
                    _stepsPending--;
                    ApplyStep(_steps[e.Subject]);
                    break;
                case EventKind.Completion:
                    Retry((_backend, e), static s => s._backend.Complete(s.e));
                    break;
            }
        }
    }

    void IRuntimeObserver.OnAdvance(long fromUnix, long toUnix)
    {
        foreach (var o in _observers)
        {
            o.OnAdvance(this, fromUnix, toUnix);
        }
    }

    void IRuntimeObserver.OnHour(long hourUnix)
    {
        foreach (var o in _observers)
        {
            o.OnHour(this, hourUnix);
        }
        // keep turning hours while anything can still happen, and a while longer for a queue that does not move
        var active = _nextArrival < Workload.Count || State.Running.Count > 0 || _stepsPending > 0 || Runtime.ParkedCount > 0;
        _stallHours = active ? 0 : _stallHours + 1;
        _hoursWanted = active || (PendingCount > 0 && _stallHours <= Options.MaxStallHours);
    }

    void IRuntimeObserver.OnJobStarted(int slot, long nowUnix)
    {
        foreach (var o in _observers)
        {
            o.OnJobStarted(this, slot, nowUnix);
        }
    }

    void IRuntimeObserver.OnJobStopped(int slot, long nowUnix, StopCause cause)
    {
        foreach (var o in _observers)
        {
            o.OnJobStopped(this, slot, nowUnix, cause);
        }
    }

    void IRuntimeObserver.OnJobPowerChanged(int slot, double oldGpuWatts, long nowUnix)
    {
        foreach (var o in _observers)
        {
            o.OnJobPowerChanged(this, slot, oldGpuWatts, nowUnix);
        }
    }

    void IRuntimeObserver.OnCycleApplied(CycleResult result, long nowUnix)
    {
        if (result.Deferred > 0)
        {
            foreach (var d in result.Decisions)
            {
                // only a deferral the runtime accepted parks the job until then
                if (d.Kind == DecisionKind.Defer && Jobs.TryGetSlot(d.Job, out var slot) && slot < DeferredUntilUnix.Length && Jobs.NotBeforeUnix[slot] == d.UntilUnix)
                {
                    DeferredUntilUnix[slot] = d.UntilUnix;
                }
            }
        }
        foreach (var o in _observers)
        {
            o.OnCycleApplied(this, result, nowUnix);
        }
    }

    private void Finish()
    {
        Runtime.CloseAccounts(StopCause.RunEnded);
        foreach (var o in _observers)
        {
            o.OnFinished(this);
        }
    }

    /// <summary>The pending queue as the scheduler sees it (read-only).</summary>
    public IReadOnlyList<PendingJob> Queue => Runtime.Queue;

    internal SiteConditions ConditionsNow(int site) => State.Conditions(site, NowUnix);

    /// <summary>
    /// Runs a runtime event again while its journal write fails (nothing of it was applied then), as the server retries
    /// an event; without a journal it runs once. A static handler and its state passed by value: the engine's loop
    /// allocates no closure per event.
    /// </summary>
    internal static TResult Retry<TState, TResult>(TState state, Func<TState, TResult> handle)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return handle(state);
            }
            catch (JournalException) when (attempt < 1000)
            {
                // the journal refused the batch; the event is still to be handled
            }
        }
    }

    internal static void Retry<TState>(TState state, Action<TState> handle) => Retry((state, handle), static s =>
    {
        s.handle(s.state);
        return true;
    });

    internal static T Retry<T>(Func<T> handle) => Retry(handle, static h => h());

    internal static void Retry(Action handle) => Retry(handle, static h => h());

    internal void PushCompletion(long atUnix, int job, int token) => _events.Push(atUnix, EventKind.Completion, job, token);

    /// <summary>Speed of a job running at <paramref name="powerFraction"/> of TDP when it asked for <paramref name="wanted"/>.</summary>
    public double SpeedAt(double powerFraction, double wanted) => SimulatedBackend.SpeedAt(powerFraction, wanted, Options.ThrottleSpeedExponent);
}
