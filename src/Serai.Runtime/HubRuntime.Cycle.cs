using Serai.Core.Jobs;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;

namespace Serai.Runtime;

/// <summary>
/// The decision executor: one scheduling cycle, its decisions checked and applied to the hub state tentatively,
/// journalled, then committed to the book and sent out (placements, preemptions, throttles, deferrals, rejections).
/// </summary>
public sealed partial class HubRuntime
{
    private readonly List<Accepted> _accepted = [];
    private readonly List<int> _toDispatch = [];
    private readonly HashSet<int> _booked = [];

    // jobs placed earlier in this cycle: they hold GPUs for the decisions that follow (the envelope may stop them again)
    private readonly HashSet<int> _placedNow = [];

    private void RunCycle(long t)
    {
        Counters.Cycles++;
        if (_queueChanged)
        {
            CompactQueue();
        }
        var result = _policy.Schedule(State, Offered(), t);
        Execute(result, t);
        LookAheadPass(t);
        _observer?.OnCycleApplied(result, t);
    }

    private void Execute(CycleResult result, long t)
    {
        _accepted.Clear();
        _placedNow.Clear();
        if (Journaling)
        {
            State.BeginTentative(); // undone if the journal refuses the batch; without a journal nothing can refuse it
        }
        foreach (var d in result.Decisions)
        {
            if (d.Kind == DecisionKind.Wait)
            {
                if (_waits is not null)
                {
                    _waits[d.Job] = d;
                }
                continue;
            }
            if (!Jobs.TryGetSlot(d.Job, out var slot))
            {
                Refused(d, "the job is not in the book");
                continue;
            }
            if (Check(d, slot, t) is { } accepted)
            {
                _accepted.Add(accepted);
            }
        }
        if (Journaling)
        {
            _booked.Clear();
            foreach (var a in _accepted)
            {
                Describe(a, t);
            }
            if (!TryJournal())
            {
                State.Rollback();
                _trigger.MarkDirty(); // try again at the next instant
                return;
            }
        }
        if (Journaling)
        {
            State.CommitTentative();
        }
        foreach (var a in _accepted)
        {
            Apply(a, t);
        }
        DispatchAll();
        FlushRequeued();
        if (_queueChanged)
        {
            CompactQueue();
        }
    }

    /// <summary>Checks a decision against the book and applies it to the state (tentatively); null when refused.</summary>
    private Accepted? Check(Decision d, int slot, long t)
    {
        var phase = Jobs.Phase[slot];
        switch (d.Kind)
        {
            case DecisionKind.Place:
                if (phase != JobPhase.Pending || d.Placement is null || Jobs.NotBeforeUnix[slot] > 0)
                {
                    Refused(d, $"the job is {phase.Word()}{(Jobs.NotBeforeUnix[slot] > 0 ? ", deferred" : "")}");
                    return null;
                }
                try
                {
                    DecisionApplier.Apply(State, d, Jobs.Spec[slot], t);
                }
                catch (InvalidOperationException e)
                {
                    Refused(d, e.Message); // the state refused it: GPU taken or node down
                    return null;
                }
                _placedNow.Add(slot);
                return new Accepted(d, slot, State.Running[d.Job]);
            case DecisionKind.Preempt:
                if (!(phase.HoldsGpus() || _placedNow.Contains(slot)) || DecisionApplier.Apply(State, d, null, t) is not { } victim)
                {
                    return null;
                }
                return new Accepted(d, slot, victim);
            case DecisionKind.Throttle:
                if (!(phase.HoldsGpus() || _placedNow.Contains(slot)) || !State.Running.TryGetValue(d.Job, out var before))
                {
                    return null;
                }
                DecisionApplier.Apply(State, d, null, t);
                return new Accepted(d, slot, before);
            case DecisionKind.Defer:
                return phase == JobPhase.Pending && d.UntilUnix > t && Jobs.NotBeforeUnix[slot] == 0 ? new Accepted(d, slot, null) : null;
            case DecisionKind.Reject:
                return phase == JobPhase.Pending ? new Accepted(d, slot, null) : null;
            default:
                return null;
        }
    }

    private void Refused(Decision d, string why)
    {
        Counters.InvalidDecisions++;
        Counters.LastInvalidDecision = $"{d.Describe(Hub, State.AiSystems)} at {NowUnix}: refused, {why}";
    }

    /// <summary>The journal's view of an accepted decision: its moves and the usage it closes.</summary>
    private void Describe(Accepted a, long t)
    {
        var (d, slot, job) = a;
        var text = d.Describe(Hub, State.AiSystems);
        var code = d.Reason.CodeName;
        switch (d.Kind)
        {
            case DecisionKind.Place:
                var p = d.Placement!;
                var pool = Hub.Pools[p.Pool];
                _batch.Transitions.Add(Move(slot, JobPhase.Admitted, "place", code, text) with
                {
                    Attempt = Jobs.Attempt[slot] + 1,
                    Placement = p,
                    Site = Hub.Sites[pool.Site].Name,
                    Pool = pool.Name,
                    PowerFraction = d.PowerFraction,
                });
                break;
            case DecisionKind.Preempt:
                BookOnce(slot, job!, t);
                var placedNow = _placedNow.Contains(slot);
                var stopNow = placedNow || Jobs.Phase[slot] == JobPhase.Admitted;
                _batch.Transitions.Add(Move(slot, stopNow ? JobPhase.Pending : JobPhase.Stopping, "preempt", code, text) with
                {
                    From = placedNow ? JobPhase.Admitted : Jobs.Phase[slot],
                    Preempted = stopNow,
                });
                break;
            case DecisionKind.Throttle:
                BookOnce(slot, job!, t);
                var holding = _placedNow.Contains(slot) ? JobPhase.Admitted : Jobs.Phase[slot];
                _batch.Transitions.Add(Move(slot, holding, "throttle", code, text) with { From = holding, PowerFraction = d.PowerFraction });
                break;
            case DecisionKind.Defer:
                _batch.Transitions.Add(Move(slot, JobPhase.Pending, "defer", code, text) with { NotBeforeUnix = d.UntilUnix });
                break;
            case DecisionKind.Reject:
                _batch.Transitions.Add(Move(slot, JobPhase.Rejected, "reject", code, text));
                break;
        }
    }

    /// <summary>The usage of a job's open stretch goes in the batch once per cycle (a job throttled then preempted closes it once).</summary>
    private void BookOnce(int slot, RunningJob job, long t)
    {
        if (_booked.Add(slot))
        {
            Usage.Peek(slot, job, t, _batch.Usage);
        }
    }

    private void Apply(Accepted a, long t)
    {
        var (d, slot, job) = a;
        switch (d.Kind)
        {
            case DecisionKind.Place:
                SetPhase(slot, JobPhase.Admitted);
                _queueChanged = true;
                _waits?.Remove(d.Job);
                Counters.Placements++;
                var running = job!; // as placed (the envelope may have stopped it again later in this cycle)
                Jobs.Pool[slot] = (short)running.Placement.Pool;
                Jobs.Placement[slot] = running.Placement;
                Jobs.Attempt[slot]++;
                if (Jobs.FirstStartUnix[slot] < 0)
                {
                    Jobs.FirstStartUnix[slot] = t;
                }
                Jobs.LastStartUnix[slot] = t;
                Usage.Open(slot, running, t);
                _observer?.OnJobStarted(slot, t);
                if (_gate.Blocks(running.Placement))
                {
                    _gate.Hold(slot);
                }
                else
                {
                    _toDispatch.Add(slot);
                }
                break;
            case DecisionKind.Preempt:
                Usage.Close(slot, job!, t);
                Counters.Preemptions++;
                _observer?.OnJobStopped(slot, t, StopCause.Preempted);
                StopHolding(slot, job!, StopCause.Preempted);
                break;
            case DecisionKind.Throttle:
                var old = Jobs.GpuWatts[slot];
                Usage.Close(slot, job!, t);
                // a job throttled and then preempted in the same cycle has left the state already
                var now = State.Running.TryGetValue(d.Job, out var stillRunning) ? stillRunning : job! with { PowerFraction = d.PowerFraction };
                Usage.Open(slot, now, t);
                Counters.Throttles++;
                _effects.Throttle(new JobThrottle(slot, d.Job, Jobs.Attempt[slot], now.Placement.Pool, d.PowerFraction, Hub.Pools[now.Placement.Pool].Accelerator.TdpWatts));
                _observer?.OnJobPowerChanged(slot, old, t);
                break;
            case DecisionKind.Defer:
                SetPhase(slot, JobPhase.Pending);
                Park(slot, d.UntilUnix);
                _queueChanged = true;
                _waits?.Remove(d.Job);
                Counters.Deferrals++;
                break;
            case DecisionKind.Reject:
                SetPhase(slot, JobPhase.Rejected);
                _queueChanged = true;
                _waits?.Remove(d.Job);
                Counters.Rejections++;
                break;
        }
    }

    /// <summary>
    /// A job that held GPUs (already released from the state and accounted) is stopped: an admitted job that was
    /// never sent goes straight back; otherwise its backend is told and it waits in Stopping until confirmed.
    /// </summary>
    private void StopHolding(int slot, RunningJob job, StopCause cause)
    {
        if (Jobs.Phase[slot] == JobPhase.Admitted)
        {
            _gate.Unhold(slot);
            FinishStop(slot, cause);
            return;
        }
        SetPhase(slot, JobPhase.Stopping);
        var attempt = Jobs.Attempt[slot];
        if (_effects.Stop(new JobStop(slot, job.Id, attempt, job.Placement.Pool, cause)))
        {
            FinishStop(slot, cause);
        }
        else
        {
            _gate.AddStopping(slot, attempt, job.Placement, cause);
        }
    }

    /// <summary>The stop is done: a preempted or failed-over job goes back in the queue, a cancelled one ends.</summary>
    private void FinishStop(int slot, StopCause cause)
    {
        if (cause == StopCause.Cancelled)
        {
            SetPhase(slot, JobPhase.Cancelled);
            return;
        }
        SetPhase(slot, JobPhase.Pending);
        if (cause == StopCause.Preempted)
        {
            Jobs.Preemptions[slot]++;
        }
        else
        {
            Counters.FailureRequeues++;
        }
        Requeue(slot);
        _trigger.MarkDirty();
    }

    /// <summary>
    /// Sends the admitted jobs of <see cref="_toDispatch"/> to their backends, their moves journalled in one batch
    /// first (when that fails they are held and tried again later); a backend that starts a job at once makes it
    /// running now.
    /// </summary>
    private void DispatchAll()
    {
        _toDispatch.RemoveAll(slot => Jobs.Phase[slot] != JobPhase.Admitted); // placed and stopped again in one cycle
        if (_toDispatch.Count == 0)
        {
            return;
        }
        if (Journaling)
        {
            foreach (var slot in _toDispatch)
            {
                _batch.Transitions.Add(Move(slot, JobPhase.Starting, "dispatch", "Dispatch", $"job {Jobs.Spec[slot].Id} attempt {Jobs.Attempt[slot]} sent to its site's backend"));
            }
            if (!TryJournal())
            {
                foreach (var slot in _toDispatch)
                {
                    _gate.Hold(slot);
                }
                _toDispatch.Clear();
                return;
            }
        }
        foreach (var slot in _toDispatch)
        {
            SetPhase(slot, JobPhase.Starting);
            if (_effects.Dispatch(new JobDispatch(slot, Jobs.Attempt[slot], State.Running[Jobs.Spec[slot].Id])))
            {
                SetPhase(slot, JobPhase.Running);
            }
        }
        _toDispatch.Clear();
    }

    /// <summary>Jobs held back (by a stopping job's GPUs or a failed journal write) are tried again.</summary>
    private void ReleaseHeld()
    {
        if (_gate.Held.Count == 0)
        {
            return;
        }
        foreach (var slot in _gate.TakeHeld())
        {
            if (Jobs.Phase[slot] != JobPhase.Admitted || !State.Running.TryGetValue(Jobs.Spec[slot].Id, out var running))
            {
                continue;
            }
            if (_gate.Blocks(running.Placement))
            {
                _gate.Hold(slot);
            }
            else
            {
                _toDispatch.Add(slot);
            }
        }
        DispatchAll();
    }

    private readonly record struct Accepted(Decision Decision, int Slot, RunningJob? Job);
}
