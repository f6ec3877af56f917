using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime;

/// <summary>
/// Which pending jobs a cycle may consider. The host keeps some out (held, waiting for a dependency, over an array's
/// limit of tasks at once); the scheduler never sees them, and they keep their place in the queue for later cycles.
/// </summary>
public interface IQueueGate
{
    /// <summary>A cycle begins: the gate may look at the runtime (book, running jobs) to set this cycle's limits.</summary>
    void BeginCycle(HubRuntime runtime);

    /// <summary>Whether this pending job is offered to the scheduler in this cycle; called once per job, in queue order.</summary>
    bool MayOffer(JobSpec spec);
}

/// <summary>The queue gate, the change of a pending job's spec (priority, time limit, name) and a tenant's requeue.</summary>
public sealed partial class HubRuntime
{
    private readonly List<PendingJob> _offered = [];

    /// <summary>The host's gate on the queue; null offers every pending job.</summary>
    public IQueueGate? QueueGate { get; set; }

    /// <summary>The queue as this cycle's scheduler sees it: all of it, or what the gate lets through.</summary>
    private IReadOnlyList<PendingJob> Offered()
    {
        var gate = QueueGate;
        if (gate is null && _claims.Count == 0)
        {
            return _queue;
        }
        gate?.BeginCycle(this);
        _offered.Clear();
        foreach (var pending in _queue)
        {
            // entries that left the queue since the last compaction pass through as they would without a gate; jobs
            // queued ahead at a site are the site's to start, not the scheduler's to place
            if (!Jobs.TryGetSlot(pending.Id, out var slot) || Jobs.Phase[slot] != JobPhase.Pending
                || (!_claims.ContainsKey(slot) && (gate is null || gate.MayOffer(Jobs.Spec[slot]))))
            {
                _offered.Add(pending);
            }
        }
        return _offered;
    }

    /// <summary>
    /// Replaces the spec of a pending job (same id and tenant; the host stored the change first); false when the job
    /// is not pending. The next cycle sees the new spec.
    /// </summary>
    public bool UpdatePending(JobSpec spec)
    {
        if (!Jobs.TryGetSlot(spec.Id, out var slot) || Jobs.Phase[slot] != JobPhase.Pending || Jobs.Spec[slot].Tenant != spec.Tenant)
        {
            return false;
        }
        Counters.Events++;
        Jobs.Spec[slot] = spec;
        for (var k = 0; k < _queue.Count; k++)
        {
            if (_queue[k].Id == spec.Id)
            {
                _queue[k] = _queue[k] with { Spec = spec };
            }
        }
        _trigger.MarkDirty();
        return true;
    }

    /// <summary>
    /// A job that holds GPUs goes back to the queue as its next attempt (as scontrol requeue): its processes are
    /// stopped like a preempted job's. False when it does not hold GPUs.
    /// </summary>
    public bool RequeueHolding(JobId job, string by)
    {
        if (!Jobs.TryGetSlot(job, out var slot) || !Jobs.Phase[slot].HoldsGpus())
        {
            return false;
        }
        Counters.Events++;
        var running = State.Running[job];
        if (Journaling)
        {
            var stopNow = Jobs.Phase[slot] == JobPhase.Admitted;
            Usage.Peek(slot, running, NowUnix, _batch.Usage);
            _batch.Transitions.Add(Move(slot, stopNow ? JobPhase.Pending : JobPhase.Stopping, "requeue", "Requeued", $"requeued by {by}") with { Preempted = stopNow });
            Commit();
        }
        State.Release(job);
        Usage.Close(slot, running, NowUnix);
        _observer?.OnJobStopped(slot, NowUnix, StopCause.Preempted);
        StopHolding(slot, running, StopCause.Preempted);
        _trigger.MarkDirty();
        ReleaseHeld();
        return true;
    }
}
