using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Kept across cycles (<see cref="CycleState.Lasting{T}"/>): what a victim search on a pool found, by the preemptor's
/// tenant, class and reclaim mode, as bounds that hold whatever the order of victims, the nodes sampled and who else
/// is taken first:
/// <list type="bullet">
/// <item>a multi-node gang: how many nodes are wholly free now and how many at most stopping every job that may be a
/// victim would free. A gang needing no more nodes than are free, or more than that most, gets no plan;</item>
/// <item>a single-node job: the most GPUs any occupied node would have free with every job that may be a victim
/// there stopped. A job needing more gets no plan on any node.</item>
/// </list>
/// So a search need not scan an unchanged pool again to fail the same way. A bound holds while
/// <list type="bullet">
/// <item>the pool is unchanged (<see cref="PoolView.Stamp"/>: no job started or ended there, no node changed);</item>
/// <item>no tenant whose job there was turned away only by its guarantee (a job of a lower class, or of the same class
/// under reclaim) holds more of the accelerator than it did: only more GPUs held can make such a job a victim, and
/// fewer victims only lower the bounds.</item>
/// </list>
/// The other figures a search reads are fixed for a running job (class, tenant, GPUs, nodes).
/// </summary>
internal sealed class VictimBounds
{
    private readonly Dictionary<(int Pool, int Tenant, PriorityClass Priority, bool Reclaim, bool MultiNode), Entry> _entries = [];
    private readonly Dictionary<(int Pool, int Tenant, PriorityClass Priority, bool Reclaim), (object State, long Version)> _asked = [];

    /// <summary>
    /// Whether a single-node search of this kind was already asked for on the pool as it is now: only then is a scan
    /// of the whole pool for its bound worth it (a pool that changes between every search, as in a cycle that fills an
    /// empty hub, would pay for the scan and never use it).
    /// </summary>
    public bool AskedBefore(ISchedulingView view, JobSpec job, int pool, bool reclaim)
    {
        var key = (pool, job.Tenant, job.Priority, reclaim);
        var stamp = view.Pool(pool).Stamp;
        if (_asked.TryGetValue(key, out var before) && before == stamp)
        {
            return true;
        }
        _asked[key] = stamp;
        return false;
    }

    /// <summary>
    /// Whether the search for the job on the pool is known to find no plan (<paramref name="need"/> is the gang's nodes
    /// when <paramref name="multiNode"/>, else the job's GPUs): true or false by the bound recorded for the pool as it
    /// is now, null when none is.
    /// </summary>
    public bool? Fails(ISchedulingView view, JobSpec job, int pool, bool reclaim, bool multiNode, int need) =>
        Valid(view, job, pool, reclaim, multiNode) is { } e ? Fails(e, need) : null;

    /// <summary>
    /// The tenants (a mask over the first 64; all of them beyond) whose growth on the pool's accelerator would end the
    /// recorded proof that the job's search fails there; null when no such proof is recorded.
    /// </summary>
    public ulong? WatchedWhileFailing(ISchedulingView view, JobSpec job, int pool, bool reclaim, bool multiNode, int need)
    {
        if (Valid(view, job, pool, reclaim, multiNode) is not { } e || !Fails(e, need))
        {
            return null;
        }
        if (multiNode && need <= e.Now)
        {
            return 0; // nothing to stop: no tenant's growth changes that
        }
        var mask = 0UL;
        for (var t = 0; t < e.Watched.Length; t++)
        {
            mask |= e.Watched[t] < 0 ? 0 : t < 64 ? 1UL << t : ulong.MaxValue;
        }
        return mask;
    }

    private Entry? Valid(ISchedulingView view, JobSpec job, int pool, bool reclaim, bool multiNode)
    {
        if (!_entries.TryGetValue((pool, job.Tenant, job.Priority, reclaim, multiNode), out var e) || e.Stamp != view.Pool(pool).Stamp)
        {
            return null;
        }
        var accelerator = view.Hub.Pools[pool].Accelerator.Index;
        for (var t = 0; t < e.Watched.Length; t++)
        {
            if (e.Watched[t] >= 0 && view.Allocated(t, accelerator) > e.Watched[t])
            {
                return null;
            }
        }
        return e;
    }

    /// <summary>A gang: nothing to stop (it fits already: the job waits for something other than room) or not enough even if all stop.</summary>
    private static bool Fails(Entry e, int need) => e.MultiNode ? need <= e.Now || need > e.AtMost : need > e.AtMost;

    /// <summary>Records what a search of the whole pool found, on the pool as it is now (<paramref name="now"/> is unused for single-node jobs).</summary>
    public void Record(ISchedulingView view, JobSpec job, int pool, bool reclaim, bool multiNode, int now, int atMost, int[] watched) =>
        _entries[(pool, job.Tenant, job.Priority, reclaim, multiNode)] = new Entry(view.Pool(pool).Stamp, multiNode, now, atMost, watched);

    /// <summary>No tenant watched yet: −1 each; a search sets the GPUs of the accelerator each watched tenant holds.</summary>
    public static int[] NoneWatched(int tenants)
    {
        var watched = new int[tenants];
        Array.Fill(watched, -1);
        return watched;
    }

    /// <summary>Whether a job that may not be a victim now could become one if its tenant held more GPUs.</summary>
    public static bool TurnedAwayByGuarantee(JobSpec preemptor, RunningJob job, bool reclaim) =>
        job.Spec.Priority < preemptor.Priority || (reclaim && job.Spec.Priority == preemptor.Priority);

    private sealed record Entry((object State, long Version) Stamp, bool MultiNode, int Now, int AtMost, int[] Watched);
}
