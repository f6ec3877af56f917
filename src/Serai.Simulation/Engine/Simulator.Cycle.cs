using Serai.Core.Jobs;
using Serai.Scheduling;

namespace Serai.Simulation.Engine;

/// <summary>One scheduler cycle and the application of its decisions, in order.</summary>
public sealed partial class Simulator
{
    private void RunCycle(long t)
    {
        Counters.Cycles++;
        var result = Policy.Schedule(State, _queue, t);
        var queueChanged = false;
        foreach (var d in result.Decisions)
        {
            queueChanged |= Apply(d, t);
        }
        if (queueChanged)
        {
            CompactQueue();
        }
        FlushRequeued();
        foreach (var o in _observers)
        {
            o.OnCycleApplied(this, result, t);
        }
    }

    /// <summary>Applies one decision; true when the queue must drop or rewrite an entry.</summary>
    private bool Apply(Decision d, long t)
    {
        var i = (int)d.Job.Value;
        if (i < 0 || i >= Jobs.Count)
        {
            Counters.InvalidDecisions++;
            return false;
        }
        switch (d.Kind)
        {
            case DecisionKind.Place:
                return Place(d, i, t);
            case DecisionKind.Preempt:
                if (Jobs.Status[i] == JobStatus.Running && DecisionApplier.Apply(State, d, null, t) is not null)
                {
                    Interrupted(i, t, StopReason.Preempted);
                }
                return false;
            case DecisionKind.Throttle:
                if (Jobs.Status[i] != JobStatus.Running)
                {
                    return false;
                }
                CloseSegment(i, t);
                var oldWatts = Jobs.GpuWatts[i];
                DecisionApplier.Apply(State, d, null, t);
                SetSpeed(i, d.PowerFraction, Workload.Jobs[i], t);
                Counters.Throttles++;
                foreach (var o in _observers)
                {
                    o.OnJobPowerChanged(this, i, oldWatts, t);
                }
                return false;
            case DecisionKind.Defer:
                if (Jobs.Status[i] != JobStatus.Pending || d.UntilUnix <= t)
                {
                    return false;
                }
                _deferUntil[i] = d.UntilUnix;
                PushTimed(d.UntilUnix, EventKind.WakeUp, i);
                Counters.Deferrals++;
                return true;
            case DecisionKind.Reject:
                if (Jobs.Status[i] != JobStatus.Pending)
                {
                    return false;
                }
                Jobs.Status[i] = JobStatus.Rejected;
                Jobs.EndUnix[i] = t;
                Counters.Rejections++;
                return true;
            default:
                return false;
        }
    }

    private bool Place(Decision d, int i, long t)
    {
        if (Jobs.Status[i] != JobStatus.Pending || d.Placement is null)
        {
            Counters.InvalidDecisions++;
            return false;
        }
        try
        {
            DecisionApplier.Apply(State, d, Workload.Jobs[i], t);
        }
        catch (InvalidOperationException)
        {
            Counters.InvalidDecisions++; // the state refused it: GPU taken or node down
            return false;
        }
        Counters.Placements++;
        Started(i, State.Running[d.Job], t);
        return true;
    }

    /// <summary>Drops jobs that left the queue this cycle (placed, rejected, deferred), in one pass.</summary>
    private void CompactQueue()
    {
        var kept = 0;
        for (var k = 0; k < _queue.Count; k++)
        {
            var pending = _queue[k];
            var i = (int)pending.Id.Value;
            if (Jobs.Status[i] != JobStatus.Pending)
            {
                continue;
            }
            if (_deferUntil[i] > 0)
            {
                // deferred: parked outside the queue until its wake-up, where the scheduler could only answer Wait
                _parked++;
                continue;
            }
            _queue[kept++] = pending;
        }
        _queue.RemoveRange(kept, _queue.Count - kept);
    }

    /// <summary>The pending queue as the scheduler sees it (read-only).</summary>
    public IReadOnlyList<PendingJob> Queue => _queue;
}
