using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime;

/// <summary>What a job's backend reports (started, ended, stopped, could not start) and what its tenant asks (cancel).</summary>
public sealed partial class HubRuntime
{
    /// <summary>The backend started an attempt (with its handle, to find it again after a restart).</summary>
    public void OnStarted(JobId job, int attempt, string? handle = null)
    {
        if (_claims.Count > 0 && Current(job, attempt, out var claimed) && IsClaim(claimed, attempt, out var claim))
        {
            OnClaimAccepted(claim, handle); // queued at its site: it starts when the site starts it (SeatClaims)
            return;
        }
        if (!Current(job, attempt, out var slot) || Jobs.Phase[slot] != JobPhase.Starting)
        {
            return;
        }
        Counters.Events++;
        if (Journaling)
        {
            _batch.Transitions.Add(Move(slot, JobPhase.Running, "start", "Started", $"job {job} attempt {attempt} is running") with { Handle = handle });
            Commit();
        }
        SetPhase(slot, JobPhase.Running);
    }

    /// <summary>
    /// An attempt ended on its own (exit, time limit, node failure, cancelled at the site, lost). A node failure
    /// puts the job back in the queue; anything else ends it. A stale report (older attempt) is ignored.
    /// </summary>
    public void OnEnded(JobId job, int attempt, JobEnd end)
    {
        if (!Current(job, attempt, out var slot))
        {
            return;
        }
        if (_claims.Count > 0 && IsClaim(slot, attempt, out var claim))
        {
            OnClaimEnded(claim, end);
            return;
        }
        var phase = Jobs.Phase[slot];
        if (phase == JobPhase.Stopping)
        {
            OnStopped(job, attempt);
            return;
        }
        if (!phase.HoldsGpus())
        {
            return;
        }
        Counters.Events++;
        var running = State.Running[job];
        var (to, cause) = end.Kind switch
        {
            EndKind.NodeFailure => (JobPhase.Pending, StopCause.NodeFailure),
            EndKind.TimedOut => (JobPhase.TimedOut, StopCause.TimedOut),
            EndKind.CancelledAtSite => (JobPhase.Cancelled, StopCause.Cancelled),
            EndKind.Exited when end.ExitCode == 0 => (JobPhase.Succeeded, StopCause.Completed),
            _ => (JobPhase.Failed, StopCause.Failed),
        };
        // a command that ends at once can end before its start is reported: it ran, so it is recorded as started first
        // (what a webhook or the journal shows), as if the start had come in time
        var startUnreported = phase == JobPhase.Starting && end.Kind is EndKind.Exited or EndKind.TimedOut;
        if (Journaling)
        {
            Usage.Peek(slot, running, NowUnix, _batch.Usage);
            if (startUnreported)
            {
                _batch.Transitions.Add(Move(slot, JobPhase.Running, "start", "Started", $"job {job} attempt {attempt} is running"));
            }
            var move = Move(slot, to, to == JobPhase.Pending ? "requeue" : "end", end.Kind.ToString(), end.Reason) with { ExitCode = end.ExitCode };
            _batch.Transitions.Add(startUnreported ? move with { From = JobPhase.Running } : move);
            Commit();
        }
        if (startUnreported)
        {
            SetPhase(slot, JobPhase.Running);
        }
        State.Release(job);
        Usage.Close(slot, running, NowUnix);
        _gate.Unhold(slot);
        if (to == JobPhase.Pending)
        {
            FinishStop(slot, cause);
        }
        else
        {
            SetPhase(slot, to);
            Counters.Completions++;
        }
        _observer?.OnJobStopped(slot, NowUnix, cause);
        _trigger.MarkDirty();
        FlushRequeued();
        ReleaseHeld();
    }

    /// <summary>The backend confirms that an attempt Serai asked to stop has stopped.</summary>
    public void OnStopped(JobId job, int attempt)
    {
        if (!Jobs.TryGetSlot(job, out var slot))
        {
            return;
        }
        if (_claims.Count > 0 && IsClaim(slot, attempt, out var claim))
        {
            OnClaimStopped(claim);
            return;
        }
        if (Jobs.Attempt[slot] != attempt || Jobs.Phase[slot] != JobPhase.Stopping)
        {
            // an attempt that had already moved on (its node was lost): only its GPUs are free now
            if (_gate.RemoveStopping(slot, attempt) is not null)
            {
                ReleaseHeld();
            }
            return;
        }
        Counters.Events++;
        var cause = _gate.CauseOf(slot, attempt) ?? StopCause.Preempted;
        if (Journaling)
        {
            var to = cause == StopCause.Cancelled ? JobPhase.Cancelled : JobPhase.Pending;
            _batch.Transitions.Add(Move(slot, to, "stop", "Stopped", $"job {job} attempt {attempt} stopped") with { Preempted = cause == StopCause.Preempted });
            Commit();
        }
        _gate.RemoveStopping(slot, attempt);
        FinishStop(slot, cause);
        FlushRequeued();
        ReleaseHeld();
    }

    /// <summary>
    /// The backend could not start an attempt: the job fails with the backend's reason, or, with
    /// <paramref name="requeue"/> (its site could not be reached and nothing started there), goes back to the queue.
    /// </summary>
    public void OnDispatchFailed(JobId job, int attempt, string reason, bool requeue = false)
    {
        if (_claims.Count > 0 && Current(job, attempt, out var claimed) && IsClaim(claimed, attempt, out var claim))
        {
            OnClaimDispatchFailed(claim, reason);
            return;
        }
        if (!Current(job, attempt, out var slot) || !Jobs.Phase[slot].HoldsGpus())
        {
            return;
        }
        Counters.Events++;
        var running = State.Running[job];
        if (Journaling)
        {
            Usage.Peek(slot, running, NowUnix, _batch.Usage);
            _batch.Transitions.Add(requeue
                ? Move(slot, JobPhase.Pending, "requeue", "DispatchFailed", $"{reason}; back in the queue")
                : Move(slot, JobPhase.Failed, "dispatch-failed", "DispatchFailed", reason));
            Commit();
        }
        State.Release(job);
        Usage.Close(slot, running, NowUnix);
        Counters.DispatchFailures++;
        if (requeue)
        {
            _gate.Unhold(slot);
            FinishStop(slot, StopCause.DispatchFailed);
        }
        else
        {
            SetPhase(slot, JobPhase.Failed);
        }
        _observer?.OnJobStopped(slot, NowUnix, StopCause.DispatchFailed);
        _trigger.MarkDirty();
        FlushRequeued();
        ReleaseHeld();
    }

    /// <summary>A tenant or the admin cancels a job: pending jobs end at once, running ones are stopped.</summary>
    public CancelResult Cancel(JobId job, string by)
    {
        if (!Jobs.TryGetSlot(job, out var slot))
        {
            return CancelResult.Unknown;
        }
        var phase = Jobs.Phase[slot];
        var text = $"cancelled by {by}";
        switch (phase)
        {
            case JobPhase.Pending:
                if (Journaling)
                {
                    _batch.Transitions.Add(Move(slot, JobPhase.Cancelled, "cancel", "Cancelled", $"{text} while pending"));
                    Commit();
                }
                if (Jobs.NotBeforeUnix[slot] > 0)
                {
                    Jobs.NotBeforeUnix[slot] = 0;
                    _parked--;
                }
                SetPhase(slot, JobPhase.Cancelled);
                CancelClaim(slot);
                _queueChanged = true;
                _waits?.Remove(job);
                return CancelResult.Cancelled;
            case JobPhase.Admitted or JobPhase.Starting or JobPhase.Running:
                var running = State.Running[job];
                if (Journaling)
                {
                    Usage.Peek(slot, running, NowUnix, _batch.Usage);
                    var to = phase == JobPhase.Admitted ? JobPhase.Cancelled : JobPhase.Stopping;
                    _batch.Transitions.Add(Move(slot, to, "cancel", "Cancelled", $"{text} while {phase.Word()}"));
                    Commit();
                }
                State.Release(job);
                Usage.Close(slot, running, NowUnix);
                _observer?.OnJobStopped(slot, NowUnix, StopCause.Cancelled);
                StopHolding(slot, running, StopCause.Cancelled);
                _trigger.MarkDirty();
                ReleaseHeld();
                return Jobs.Phase[slot] == JobPhase.Cancelled ? CancelResult.Cancelled : CancelResult.Stopping;
            case JobPhase.Stopping:
                _gate.SetCause(slot, Jobs.Attempt[slot], StopCause.Cancelled);
                return CancelResult.Stopping;
            default:
                return CancelResult.AlreadyFinished;
        }
    }

    private bool Current(JobId job, int attempt, out int slot) =>
        Jobs.TryGetSlot(job, out slot) && Jobs.Attempt[slot] == attempt;

    /// <summary>Writes the batch of an event; throws when the journal failed (the host retries the event).</summary>
    private void Commit()
    {
        if (!TryJournal())
        {
            throw new Journal.JournalException("the journal could not record the change; nothing was applied");
        }
    }
}

/// <summary>How a cancel request ended.</summary>
public enum CancelResult
{
    Cancelled,

    /// <summary>A stop was sent to the job's backend; it ends as cancelled when the backend confirms.</summary>
    Stopping,
    AlreadyFinished,
    Unknown,
}
