using System.Runtime.InteropServices;
using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Runtime.Accounting;
using Serai.Runtime.Book;
using Serai.Runtime.Execution;
using Serai.Runtime.Journal;
using Serai.Runtime.Lifecycle;
using Serai.Runtime.Timing;
using Serai.Scheduling;

namespace Serai.Runtime;

/// <summary>
/// One hub runtime for the simulator and the live server: the job book and its lifecycle, the queue, the decision
/// executor and the accounting, driven by a clock (<see cref="AdvanceTo"/>, <see cref="EndInstant"/>) and by
/// events (submissions, cancels, backend reports, site operations). It does no I/O: it asks the world through
/// <see cref="IRuntimeEffects"/> and persists each batch of moves through <see cref="IRuntimeJournal"/> before
/// applying it. Single-threaded: the host calls it from one thread.
/// </summary>
public sealed partial class HubRuntime
{
    private readonly ISchedulingPolicy _policy;
    private readonly IRuntimeEffects _effects;
    private readonly IRuntimeJournal? _journal;
    private readonly IRuntimeObserver? _observer;
    private readonly List<PendingJob> _queue = [];
    private readonly List<int> _queueSlots = []; // the slot of each entry of _queue, for compaction without a lookup
    private readonly List<int> _requeued = [];
    private readonly DeferralTimers _wakeUps = new();
    private readonly CycleTrigger _trigger;
    private readonly DispatchGate _gate = new();
    private readonly JournalBatch _batch = new();
    private readonly Dictionary<JobId, Decision>? _waits;
    private bool _queueChanged;
    private long _nextHourUnix;
    private long _nextMonthUnix;
    private int _parked;
    private readonly int[] _pendingByTenant;

    public HubRuntime(HubModel hub, ISchedulingPolicy policy, RuntimeOptions options, long startUnix, IRuntimeEffects effects,
        IRuntimeJournal? journal = null, IRuntimeObserver? observer = null, int capacity = 16)
    {
        _policy = policy;
        _effects = effects;
        _journal = journal;
        _observer = observer;
        Options = options;
        _trigger = new CycleTrigger(options.CycleIntervalSeconds);
        _waits = options.KeepWaitReasons ? [] : null;
        State = new HubState(hub, startUnix, options.FairShareHalfLifeSeconds);
        _pendingByTenant = new int[hub.Tenants.Length];
        Jobs = new JobBook(capacity);
        Ledger = new SiteLedger(hub.Sites.Length);
        Usage = new UsageIntegrator(hub, Jobs, Ledger);
        NowUnix = startUnix;
        Ledger.Refresh(State, startUnix);
        Ledger.MarkMonth(startUnix);
        _nextHourUnix = (startUnix / 3600 + 1) * 3600;
        _nextMonthUnix = UsageIntegrator.NextMonthUnix(startUnix);
        InitLookAhead(options);
    }

    public HubModel Hub => State.Hub;

    /// <summary>The AI-system registry in force.</summary>
    public AiSystemRegistry AiSystems => State.AiSystems;
    public RuntimeOptions Options { get; }
    public ISchedulingPolicy Policy => _policy;
    public HubState State { get; }
    public JobBook Jobs { get; }
    public SiteLedger Ledger { get; }
    public UsageIntegrator Usage { get; }
    public RuntimeCounters Counters { get; } = new();
    public long NowUnix { get; private set; }

    /// <summary>The queue as the scheduler sees it (read-only; may hold jobs that left it since the last cycle).</summary>
    public IReadOnlyList<PendingJob> Queue => _queue;

    /// <summary>Jobs waiting: in the queue, or deferred and parked until their wake-up.</summary>
    public int PendingCount { get; private set; }

    /// <summary>Pending jobs of a tenant (queued or deferred).</summary>
    public int PendingOf(int tenant) => _pendingByTenant[tenant];

    /// <summary>Deferred jobs parked until their wake-up.</summary>
    public int ParkedCount => _parked;

    /// <summary>Attempts whose stop was sent and not yet confirmed.</summary>
    public int StoppingCount => _gate.StoppingCount;

    /// <summary>The next instant the runtime needs to run without an outside event: a wake-up or a held cycle.</summary>
    public long NextTimerUnix => Math.Min(_wakeUps.NextUnix, _trigger.DueUnix);

    /// <summary>The next hour boundary (site conditions move).</summary>
    public long NextHourUnix => _nextHourUnix;

    /// <summary>Why a pending job waits, as the last cycle said (kept with <see cref="RuntimeOptions.KeepWaitReasons"/>).</summary>
    public Decision? WaitReason(JobId job) => _waits is not null && _waits.TryGetValue(job, out var d) ? d : null;

    /// <summary>
    /// Moves the clock to <paramref name="toUnix"/>: integrates the ledger, turns the hours (site conditions) and
    /// months (accounting boundaries) on the way. Time never goes back.
    /// </summary>
    public void AdvanceTo(long toUnix)
    {
        while (NowUnix < toUnix)
        {
            var stop = Math.Min(toUnix, Math.Min(_nextHourUnix, _nextMonthUnix));
            _observer?.OnAdvance(NowUnix, stop);
            Ledger.Advance(stop - NowUnix);
            NowUnix = stop;
            if (stop == _nextMonthUnix)
            {
                Ledger.MarkMonth(stop);
                _nextMonthUnix = UsageIntegrator.NextMonthUnix(stop);
            }
            if (stop == _nextHourUnix)
            {
                Ledger.Refresh(State, stop);
                _observer?.OnHour(stop);
                _trigger.MarkEnvelope();
                _nextHourUnix += 3600;
            }
        }
    }

    /// <summary>A job is submitted (the host has already stored it); returns its slot in the book.</summary>
    public int Submit(JobSpec spec, long notBeforeUnix = 0)
    {
        var slot = Jobs.Add(spec);
        Jobs.Phase[slot] = JobPhase.Pending;
        Counters.Events++;
        PendingCount++;
        _pendingByTenant[spec.Tenant]++;
        if (notBeforeUnix > NowUnix)
        {
            Park(slot, notBeforeUnix);
        }
        else
        {
            Enqueue(slot, new PendingJob(spec));
        }
        if (spec.Priority == PriorityClass.Emergency)
        {
            _trigger.MarkUrgent();
        }
        else
        {
            _trigger.MarkDirty();
        }
        return slot;
    }

    /// <summary>Deferred jobs whose time has come go back in the queue.</summary>
    public void WakeDue(long nowUnix)
    {
        while (_wakeUps.TryTakeDue(nowUnix, out var slot, out var at))
        {
            Counters.Events++;
            if (Jobs.NotBeforeUnix[slot] != at || Jobs.Phase[slot] != JobPhase.Pending)
            {
                continue; // stale: cancelled, or deferred again to another time
            }
            Jobs.NotBeforeUnix[slot] = 0;
            _parked--;
            Enqueue(slot, new PendingJob(Jobs.Spec[slot], at, WasDeferred: true));
            _trigger.MarkDirty();
        }
    }

    /// <summary>
    /// Every event of this instant has been handled: runs one scheduling cycle when something changed that can
    /// change a decision (and the cycle interval allows). True when a cycle ran.
    /// </summary>
    public bool EndInstant(long nowUnix)
    {
        ReleaseHeld(); // placed jobs held back by a failed journal write or a stopping job try again
        SeatClaims(nowUnix); // jobs queued ahead at a site take the GPUs that freed there before the cycle can
        State.AdvanceUsage(nowUnix);
        var ran = false;
        if (_trigger.Hold(nowUnix))
        {
            Counters.CyclesHeld++;
        }
        else if (_trigger.Dirty && (PendingCount - _parked > 0 || (_trigger.EnvelopeChanged && State.Running.Count > 0)))
        {
            RunCycle(nowUnix);
            ran = true;
        }
        else
        {
            Counters.CyclesSkipped++;
        }
        _trigger.Reset();
        return ran;
    }

    /// <summary>Asks for a cycle at the next instant even if nothing changed (the server's periodic full look).</summary>
    public void RequestCycle() => _trigger.MarkEnvelope();

    private void Park(int slot, long untilUnix)
    {
        Jobs.NotBeforeUnix[slot] = untilUnix;
        _wakeUps.Add(slot, untilUnix);
        _parked++;
    }

    private void Requeue(int slot) => _requeued.Add(slot);

    private void FlushRequeued()
    {
        foreach (var slot in _requeued)
        {
            Enqueue(slot, new PendingJob(Jobs.Spec[slot]) { AttainedGpuSeconds = Jobs.GpuSeconds[slot] });
        }
        _requeued.Clear();
    }

    /// <summary>Adds a queue entry unless the job has one (a job placed and stopped again before compaction keeps its entry).</summary>
    private void Enqueue(int slot, PendingJob entry)
    {
        if (!Jobs.Queued[slot])
        {
            Jobs.Queued[slot] = true;
            _queue.Add(entry);
            _queueSlots.Add(slot);
        }
    }

    /// <summary>
    /// Drops jobs that left the queue (placed, rejected, deferred, cancelled), in one pass over the entries' slots;
    /// entries before the first one dropped stay where they are.
    /// </summary>
    private void CompactQueue()
    {
        var slots = CollectionsMarshal.AsSpan(_queueSlots);
        var kept = 0;
        for (var k = 0; k < slots.Length; k++)
        {
            var slot = slots[k];
            if (Jobs.Phase[slot] != JobPhase.Pending || Jobs.NotBeforeUnix[slot] > 0)
            {
                Jobs.Queued[slot] = false;
                continue;
            }
            if (kept != k)
            {
                slots[kept] = slot;
                _queue[kept] = _queue[k];
            }
            kept++;
        }
        _queue.RemoveRange(kept, _queue.Count - kept);
        _queueSlots.RemoveRange(kept, _queueSlots.Count - kept);
        _queueChanged = false;
    }

    /// <summary>Writes the batch if there is a journal; false (and nothing to apply) when the write failed.</summary>
    private bool TryJournal()
    {
        if (_journal is null || _batch.IsEmpty)
        {
            _batch.Clear();
            return true;
        }
        if (Options.JournalFairShare)
        {
            _batch.FairShare = (Enumerable.Range(0, Hub.Tenants.Length).Select(State.DecayedGpuSeconds).ToArray(), State.UsageUpdatedUnix);
        }
        try
        {
            _journal.Write(_batch);
            return true;
        }
        catch (JournalException)
        {
            Counters.JournalFailures++;
            return false;
        }
        finally
        {
            _batch.Clear();
        }
    }

    private bool Journaling => _journal is not null;

    private JobTransition Move(int slot, JobPhase to, string action, string code, string text) =>
        new(Jobs.Spec[slot].Id, Jobs.Attempt[slot], Jobs.Phase[slot], to, NowUnix, action, code, text) { Tenant = Jobs.Spec[slot].Tenant };

    private void SetPhase(int slot, JobPhase to)
    {
        var from = Jobs.Phase[slot];
        JobLifecycle.Check(from, to, Jobs.Spec[slot].Id.Value);
        if (from == JobPhase.Pending && to != JobPhase.Pending)
        {
            PendingCount--;
            _pendingByTenant[Jobs.Spec[slot].Tenant]--;
        }
        else if (from != JobPhase.Pending && to == JobPhase.Pending)
        {
            PendingCount++;
            _pendingByTenant[Jobs.Spec[slot].Tenant]++;
        }
        Jobs.Phase[slot] = to;
        if (to.IsFinal())
        {
            Jobs.EndUnix[slot] = NowUnix;
        }
    }
}
