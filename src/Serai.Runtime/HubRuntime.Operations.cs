using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime;

/// <summary>An operator's drains (nodes closed to new work, a node's running work sent back to the queue) and power saving.</summary>
public sealed partial class HubRuntime
{
    /// <summary>Closes a node to new work (a drain) or opens it again; the jobs on it run on. The next cycle looks again.</summary>
    public void SetNodeClosed(int pool, int node, bool closed)
    {
        Counters.Events++;
        if (State.Pools[pool].IsClosed(node) == closed)
        {
            return;
        }
        State.SetNodeClosed(pool, node, closed);
        _trigger.MarkEnvelope();
    }

    /// <summary>Every job on one node is requeued with <paramref name="cause"/> (checkpointable ones are stopped as a preemption).</summary>
    public void EvictNode(int pool, int node, StopCause cause)
    {
        Counters.Events++;
        var jobs = new List<JobId>(State.Pools[pool].JobsOn(node));
        Evict(jobs, cause);
        Ledger.Refresh(State, NowUnix);
        _trigger.MarkEnvelope();
    }

    /// <summary>
    /// Suspends an idle node, starts resuming it, or turns it on (power saving); the site's IT power and envelope
    /// change at once, and a node turned on makes the queue be looked at again.
    /// </summary>
    public void SetNodePower(int pool, int node, NodePower power, double suspendedWatts)
    {
        Counters.Events++;
        if (State.Pools[pool].Power(node) == power)
        {
            return;
        }
        State.SetNodePower(pool, node, power, suspendedWatts);
        Ledger.Refresh(State, NowUnix);
        _trigger.MarkEnvelope();
    }
}
