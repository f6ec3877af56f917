using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;

namespace Serai.Runtime;

/// <summary>
/// Changes of the hub while it runs, from scenarios, operators or backends: site overrides (heat, caps, outage),
/// nodes and sites going down and coming back, pools closed to new work, the AI-system registry.
/// </summary>
public sealed partial class HubRuntime
{
    /// <summary>Sets (or clears, with null) what overrides a site's envelope now; the envelope controller reacts in the next cycle.</summary>
    public void SetOverride(int site, SiteOverride? value)
    {
        Counters.Events++;
        State.SetOverride(site, value);
        Ledger.Refresh(State, NowUnix);
        _trigger.MarkEnvelope();
    }

    /// <summary>A node goes down (its jobs are requeued with <paramref name="cause"/>) or comes back.</summary>
    public void SetNodeDown(int pool, int node, bool down, StopCause cause = StopCause.NodeFailure)
    {
        Counters.Events++;
        if (down)
        {
            if (State.Pools[pool].IsDown(node))
            {
                return;
            }
            Evict([.. State.Pools[pool].JobsOn(node)], cause);
        }
        State.SetNodeDown(pool, node, down);
        Ledger.Refresh(State, NowUnix);
        _trigger.MarkEnvelope();
    }

    /// <summary>
    /// The site's own manager reported which GPUs of a pool are not free (held by anyone, or on nodes down or drained):
    /// per node when it names the pool's nodes (<paramref name="notFreeByNode"/>, one count per node index), else as
    /// one total. What Serai's own jobs do not account for is held outside Serai, so the scheduler does not place
    /// there; when that shrinks, the queue is looked at again. Serai's own jobs that the site has not started yet, or
    /// has already ended, count as Serai's: the difference is never negative.
    /// </summary>
    public void ObserveSiteUse(int pool, IReadOnlyList<int>? notFreeByNode, int notFreeTotal)
    {
        Counters.Events++;
        var p = State.Pools[pool];
        var nodes = Hub.Pools[pool].Nodes;
        var before = p.HeldOutsideTotal;
        if (notFreeByNode is not null && notFreeByNode.Count == nodes)
        {
            for (var n = 0; n < nodes; n++)
            {
                State.SetHeldOutside(pool, n, notFreeByNode[n] - System.Numerics.BitOperations.PopCount(p.UsedMask(n)));
            }
        }
        else
        {
            // the nodes are not named: the total held outside goes on the highest nodes, the same ones each time
            var ours = 0;
            for (var n = 0; n < nodes; n++)
            {
                ours += System.Numerics.BitOperations.PopCount(p.UsedMask(n));
            }
            var left = Math.Max(0, notFreeTotal - ours);
            for (var n = nodes - 1; n >= 0; n--)
            {
                left -= State.SetHeldOutside(pool, n, left);
            }
        }
        if (p.HeldOutsideTotal < before)
        {
            _trigger.MarkDirty();
        }
    }

    /// <summary>Every job on a pool is requeued with <paramref name="cause"/> (the pool's nodes stay as they are).</summary>
    public void EvictPool(int pool, StopCause cause)
    {
        var jobs = new List<JobId>();
        for (var n = 0; n < Hub.Pools[pool].Nodes; n++)
        {
            foreach (var id in State.Pools[pool].JobsOn(n))
            {
                if (!jobs.Contains(id))
                {
                    jobs.Add(id);
                }
            }
        }
        Evict(jobs, cause);
        Ledger.Refresh(State, NowUnix);
        _trigger.MarkEnvelope();
    }

    /// <summary>A whole site goes down (its jobs are requeued elsewhere) or comes back, on top of its other overrides.</summary>
    public void SetSiteDown(int site, bool down, StopCause cause = StopCause.SiteFailure)
    {
        if (down)
        {
            foreach (var p in Hub.Sites[site].PoolIndexes)
            {
                EvictPool(p, cause);
            }
        }
        var o = State.Override(site);
        SetOverride(site, o with { Down = down });
    }

    /// <summary>
    /// A site's own manager cannot be reached (or can again): nothing new is placed there, but its jobs keep their phase
    /// and their GPUs, since the site runs them on its own; their ends come when it answers again.
    /// </summary>
    public void SetSiteUnreachable(int site, bool unreachable)
    {
        Counters.Events++;
        State.SetUnreachable(site, unreachable);
        Ledger.Refresh(State, NowUnix);
        _trigger.MarkEnvelope();
    }

    /// <summary>Opens or closes a pool to new work (a vendor cut-off, a drain); running jobs stay.</summary>
    public void SetPoolClosed(int pool, bool closed)
    {
        Counters.Events++;
        State.SetPoolClosed(pool, closed);
        _trigger.MarkEnvelope();
    }

    /// <summary>
    /// The AI-system registry changed (registrations, approvals): the new one is put in force, keeping every
    /// tenant's usage, every running job and the queue; jobs waiting for an approval are looked at again.
    /// </summary>
    public void ReplaceAiSystems(AiSystemRegistry registry)
    {
        Counters.Events++;
        State.ReplaceAiSystems(registry);
        _trigger.MarkDirty();
    }

    /// <summary>
    /// Books every open stretch up to now and tells the observer that each holding job stopped with
    /// <paramref name="cause"/> (a simulated run that ends with jobs still running); phases stay as they are.
    /// </summary>
    public void CloseAccounts(StopCause cause)
    {
        for (var slot = 0; slot < Jobs.Count; slot++)
        {
            if (Jobs.Phase[slot].HoldsGpus() && State.Running.TryGetValue(Jobs.Spec[slot].Id, out var job))
            {
                Usage.Close(slot, job, NowUnix);
                _observer?.OnJobStopped(slot, NowUnix, cause);
            }
        }
    }

    /// <summary>Requeues running jobs whose GPUs are lost (node, site, vendor): journalled as one batch, then applied.</summary>
    private void Evict(IReadOnlyList<JobId> jobs, StopCause cause)
    {
        if (jobs.Count == 0)
        {
            return;
        }
        if (Journaling)
        {
            foreach (var id in jobs)
            {
                var slot = Jobs.SlotOf(id);
                Usage.Peek(slot, State.Running[id], NowUnix, _batch.Usage);
                _batch.Transitions.Add(Move(slot, JobPhase.Pending, "requeue", cause.ToString(), $"job {id} requeued: {Words(cause)}"));
            }
            Commit();
        }
        foreach (var id in jobs)
        {
            var slot = Jobs.SlotOf(id);
            var job = State.Release(id)!;
            Usage.Close(slot, job, NowUnix);
            _observer?.OnJobStopped(slot, NowUnix, cause);
            var phase = Jobs.Phase[slot];
            if (phase != JobPhase.Admitted)
            {
                var attempt = Jobs.Attempt[slot];
                if (!_effects.Stop(new JobStop(slot, id, attempt, job.Placement.Pool, cause)))
                {
                    _gate.AddStopping(slot, attempt, job.Placement, cause);
                }
            }
            _gate.Unhold(slot);
            FinishStop(slot, cause);
        }
        FlushRequeued();
    }

    private static string Words(StopCause cause) => cause switch
    {
        StopCause.NodeFailure => "its node went down",
        StopCause.SiteFailure => "its site went down",
        StopCause.VendorGone => "its vendor's accelerators are gone",
        StopCause.Drained => "an operator drained its node, pool or site",
        _ => cause.ToString(),
    };
}
