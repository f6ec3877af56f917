using System.Numerics;
using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Computes (does not issue) the smallest set of victims that makes room for a job: for a single-node job the node
/// needing the fewest victims; for a multi-node gang whole jobs by class first (see <see cref="PlanWholeNodes"/>).
/// Stops early at a one-victim plan. For a single-node job, like Kubernetes' preemption, it looks at a bounded sample
/// of occupied nodes per pool (a tenth, at least 128, from an offset that depends on the job), so an attempt on a
/// pool of thousands of nodes stays cheap; the plan is the smallest within that sample.
/// </summary>
internal static class VictimSelector
{
    private static readonly Dictionary<int, int> NoneTaken = [];

    /// <summary>
    /// The cheapest plan over <paramref name="pools"/>, which the caller has checked with <see cref="VictimRules.AnyCandidate"/>;
    /// with <paramref name="reclaimPlugin"/> a job within its guarantee may also take GPUs back from borrowers.
    /// </summary>
    /// <remarks>
    /// <paramref name="bounds"/>, when given, keeps across cycles bounds of what a search of each pool can find, so that
    /// a search does not scan an unchanged pool again to fail the same way (<see cref="VictimBounds"/>).
    /// </remarks>
    public static PreemptionPlan? Plan(ISchedulingView view, JobSpec job, IReadOnlyList<int> pools, PreemptionMemo memo,
        VictimBounds? bounds, bool reclaimPlugin)
    {
        PreemptionPlan? best = null;
        foreach (var pool in pools)
        {
            var reclaim = VictimRules.Reclaims(view, job, pool, reclaimPlugin);
            var shape = GangShape.For(job, view.Hub.Pools[pool]);
            var multiNode = shape.MultiNode;
            if (memo.KnownToFail(job, pool, reclaim, multiNode))
            {
                continue;
            }
            if (bounds is not null)
            {
                var need = multiNode ? shape.Nodes : job.Gpus;
                var fails = bounds.Fails(view, job, pool, reclaim, multiNode, need);
                if (fails is null && !multiNode && bounds.AskedBefore(view, job, pool, reclaim))
                {
                    RecordSingleNodeBound(view, job, pool, reclaim, bounds);
                    fails = bounds.Fails(view, job, pool, reclaim, multiNode, need);
                }
                if (fails == true)
                {
                    memo.Failed(job, pool, reclaim, multiNode);
                    continue;
                }
            }
            var plan = multiNode
                ? PlanWholeNodes(view, job, pool, reclaim, bounds)
                : PlanSingleNode(view, job, pool, reclaim);
            if (plan is null)
            {
                memo.Failed(job, pool, reclaim, multiNode);
            }
            if (plan is not null && (best is null || Cheaper(plan.Victims, best.Victims)))
            {
                best = plan;
                if (IsMinimal(best.Victims, job))
                {
                    break;
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Records, for single-node jobs of this kind, the most GPUs any occupied node of the pool would have free with
    /// every job there that may be a victim stopped (a scan of the whole pool, kept while the pool is unchanged).
    /// </summary>
    private static void RecordSingleNodeBound(ISchedulingView view, JobSpec job, int pool, bool reclaim, VictimBounds bounds)
    {
        var state = view.Pool(pool);
        var accelerator = state.Pool.Accelerator.Index;
        var watched = VictimBounds.NoneWatched(view.Hub.Tenants.Length);
        var most = 0;
        for (var node = 0; node < state.Pool.Nodes; node++)
        {
            if (!state.IsDown(node) && state.JobsOn(node).Count > 0)
            {
                most = Math.Max(most, Reach(view, job, state, node, accelerator, reclaim, watched));
            }
        }
        bounds.Record(view, job, pool, reclaim, multiNode: false, 0, most, watched);
    }

    /// <summary>
    /// The node's free GPUs plus those of every job on it that may be a victim (counted as a plan counts them): no plan
    /// on the node frees more. Tenants whose jobs are turned away only by their guarantee are noted in <paramref name="watched"/>.
    /// </summary>
    private static int Reach(ISchedulingView view, JobSpec job, PoolView state, int node, int accelerator, bool reclaim, int[]? watched)
    {
        var reach = state.FreeOnNode(node);
        foreach (var id in state.JobsOn(node))
        {
            var victim = view.Running[id];
            if (MayBeVictim(view, job, victim, accelerator, reclaim, watched))
            {
                reach += GpusOnNode(victim, node);
            }
        }
        return reach;
    }

    /// <summary>
    /// Whether the running job may be a victim on its own (no other victims taken); if not, and only its tenant's
    /// guarantee keeps it, the tenant and the GPUs it holds are noted in <paramref name="watched"/> (see <see cref="VictimBounds"/>).
    /// </summary>
    private static bool MayBeVictim(ISchedulingView view, JobSpec job, RunningJob victim, int accelerator, bool reclaim, int[]? watched)
    {
        if (VictimRules.MayPreempt(view, job, victim, accelerator, reclaim, NoneTaken))
        {
            return true;
        }
        if (watched is not null && VictimBounds.TurnedAwayByGuarantee(job, victim, reclaim))
        {
            watched[victim.Spec.Tenant] = view.Allocated(victim.Spec.Tenant, accelerator);
        }
        return false;
    }

    private static PreemptionPlan? PlanSingleNode(ISchedulingView view, JobSpec job, int pool, bool reclaim)
    {
        var state = view.Pool(pool);
        var accelerator = state.Pool.Accelerator.Index;
        List<RunningJob>? best = null;
        foreach (var node in Sample(state, job))
        {
            var free = state.FreeOnNode(node);
            if (free >= job.Gpus || Reach(view, job, state, node, accelerator, reclaim, null) < job.Gpus)
            {
                continue; // no victim needed here, or not enough even if every victim stopped: no plan on this node
            }
            var victims = Candidates(view, job, state, node, accelerator, reclaim);
            var taken = new List<RunningJob>();
            var takenByTenant = new Dictionary<int, int>();
            foreach (var victim in victims)
            {
                if (free >= job.Gpus || (best is not null && taken.Count >= best.Count))
                {
                    break;
                }
                if (!VictimRules.MayPreempt(view, job, victim, accelerator, reclaim, takenByTenant))
                {
                    continue;
                }
                taken.Add(victim);
                takenByTenant[victim.Spec.Tenant] = takenByTenant.GetValueOrDefault(victim.Spec.Tenant) + victim.Placement.Gpus;
                free += GpusOnNode(victim, node);
            }
            if (free >= job.Gpus && taken.Count > 0 && (best is null || Cheaper(taken, best)))
            {
                best = taken;
                if (IsMinimal(best, job))
                {
                    break;
                }
            }
        }
        return best is null ? null : new PreemptionPlan(pool, best, reclaim);
    }

    /// <summary>
    /// A multi-node gang needs whole nodes. Victims are whole jobs, chosen over every node of the pool (no sample, so
    /// the plan does not depend on the job's id): lowest class first, then fewest GPU-hours lost, then smallest; taken
    /// one by one until enough nodes are wholly free, then any victim the plan can do without is given back, latest
    /// first. So one preemptible job that frees enough nodes is chosen over two low jobs that free more.
    /// </summary>
    private static PreemptionPlan? PlanWholeNodes(ISchedulingView view, JobSpec job, int pool, bool reclaim, VictimBounds? bounds)
    {
        var state = view.Pool(pool);
        var accelerator = state.Pool.Accelerator.Index;
        var perNode = state.Pool.GpusPerNode;
        var needed = GangShape.For(job, state.Pool).Nodes;
        var freeAfter = new int[state.Pool.Nodes];
        var candidates = new Dictionary<JobId, RunningJob>();
        var watched = VictimBounds.NoneWatched(view.Hub.Tenants.Length);
        for (var node = 0; node < freeAfter.Length; node++)
        {
            if (state.IsDown(node))
            {
                freeAfter[node] = int.MinValue / 2;
                continue;
            }
            freeAfter[node] = state.FreeOnNode(node);
            foreach (var id in state.JobsOn(node))
            {
                var victim = view.Running[id];
                if (!candidates.ContainsKey(id) && MayBeVictim(view, job, victim, accelerator, reclaim, watched))
                {
                    candidates.Add(id, victim);
                }
            }
        }
        var whole = freeAfter.Count(f => f == perNode);
        var wholeAtMost = WholeWithAllStopped(candidates.Values, freeAfter, perNode);
        bounds?.Record(view, job, pool, reclaim, multiNode: true, whole, wholeAtMost, watched);
        if (whole >= needed || wholeAtMost < needed)
        {
            return null; // nothing to stop, or not enough even if every victim stopped
        }
        var ordered = candidates.Values.OrderBy(v => v, GangVictimOrder(view.NowUnix)).ToList();
        var taken = new List<RunningJob>();
        var takenByTenant = new Dictionary<int, int>();
        foreach (var victim in ordered)
        {
            if (whole >= needed)
            {
                break;
            }
            if (!VictimRules.MayPreempt(view, job, victim, accelerator, reclaim, takenByTenant))
            {
                continue;
            }
            taken.Add(victim);
            takenByTenant[victim.Spec.Tenant] = takenByTenant.GetValueOrDefault(victim.Spec.Tenant) + victim.Placement.Gpus;
            whole += Free(victim, freeAfter, perNode, +1);
        }
        if (whole < needed || taken.Count == 0)
        {
            return null;
        }
        for (var i = taken.Count - 1; i >= 0; i--)
        {
            var lost = Free(taken[i], freeAfter, perNode, -1);
            if (whole - lost >= needed)
            {
                whole -= lost;
                taken.RemoveAt(i);
            }
            else
            {
                Free(taken[i], freeAfter, perNode, +1);
            }
        }
        taken.Sort(VictimRules.Order);
        return new PreemptionPlan(pool, taken, reclaim);
    }

    /// <summary>
    /// Nodes that would have at least all their GPUs free if every candidate stopped: no plan of these candidates frees
    /// more (a plan counts a node when its free GPUs reach exactly the node's GPUs; at least that is an upper bound).
    /// </summary>
    private static int WholeWithAllStopped(IEnumerable<RunningJob> candidates, int[] freeAfter, int perNode)
    {
        var all = (int[])freeAfter.Clone();
        foreach (var victim in candidates)
        {
            Free(victim, all, perNode, +1);
        }
        return all.Count(f => f >= perNode);
    }

    /// <summary>Adds (<paramref name="sign"/> +1) or takes back (−1) a victim's GPUs on its nodes; returns how many nodes became (or stopped being) wholly free.</summary>
    private static int Free(RunningJob victim, int[] freeAfter, int perNode, int sign)
    {
        var changed = 0;
        for (var i = 0; i < victim.Placement.Nodes.Length; i++)
        {
            var node = victim.Placement.Nodes[i];
            var before = freeAfter[node] == perNode;
            freeAfter[node] += sign * BitOperations.PopCount(victim.Placement.GpuMasks[i]);
            changed += (freeAfter[node] == perNode) != before ? 1 : 0;
        }
        return changed;
    }

    /// <summary>Victims of a gang: lowest class, then fewest GPU-hours lost (none for checkpointable work), then fewest GPUs, then id.</summary>
    private static Comparer<RunningJob> GangVictimOrder(long nowUnix) => Comparer<RunningJob>.Create((x, y) =>
    {
        var c = ((int)x.Spec.Priority).CompareTo((int)y.Spec.Priority);
        if (c == 0)
        {
            c = GpuSecondsLost(x, nowUnix).CompareTo(GpuSecondsLost(y, nowUnix));
        }
        if (c == 0)
        {
            c = x.Placement.Gpus.CompareTo(y.Placement.Gpus);
        }
        return c != 0 ? c : x.Id.CompareTo(y.Id);
    });

    private static double GpuSecondsLost(RunningJob job, long nowUnix) =>
        job.Spec.Checkpointable ? 0 : (double)job.Placement.Gpus * Math.Max(0, nowUnix - job.StartUnix);

    private static List<RunningJob> Candidates(ISchedulingView view, JobSpec job, PoolView state, int node, int accelerator, bool reclaim)
    {
        var result = new List<RunningJob>();
        foreach (var id in state.JobsOn(node))
        {
            var victim = view.Running[id];
            if (VictimRules.MayPreempt(view, job, victim, accelerator, reclaim, NoneTaken))
            {
                result.Add(victim);
            }
        }
        result.Sort(VictimRules.Order);
        return result;
    }

    /// <summary>Occupied, working nodes of the pool from a job-dependent offset, at most a tenth of the pool (at least 128).</summary>
    private static IEnumerable<int> Sample(PoolView state, JobSpec job)
    {
        var nodes = state.Pool.Nodes;
        var limit = Math.Max(128, nodes / 10);
        var offset = (int)((ulong)job.Id.Value * 2654435761UL % (ulong)nodes);
        var seen = 0;
        for (var i = 0; i < nodes && seen < limit; i++)
        {
            var node = (offset + i) % nodes;
            if (!state.IsDown(node) && state.JobsOn(node).Count > 0)
            {
                seen++;
                yield return node;
            }
        }
    }

    /// <summary>The lower highest class stopped first, then fewest victims, then fewest GPUs of work stopped, then the victims cheapest to stop.</summary>
    private static bool Cheaper(IReadOnlyList<RunningJob> a, IReadOnlyList<RunningJob> b)
    {
        var (classA, classB) = (a.Max(v => v.Spec.Priority), b.Max(v => v.Spec.Priority));
        if (classA != classB)
        {
            return classA < classB;
        }
        if (a.Count != b.Count)
        {
            return a.Count < b.Count;
        }
        var (gpusA, gpusB) = (a.Sum(v => v.Placement.Gpus), b.Sum(v => v.Placement.Gpus));
        if (gpusA != gpusB)
        {
            return gpusA < gpusB;
        }
        // Same size: the plan whose costliest victim is cheaper to stop (checkpointable, lower class, younger).
        return VictimRules.Order.Compare(a.Max(VictimRules.Order)!, b.Max(VictimRules.Order)!) < 0;
    }

    /// <summary>No plan can beat one checkpointable preemptible victim no larger than the job.</summary>
    private static bool IsMinimal(IReadOnlyList<RunningJob> victims, JobSpec job) =>
        victims.Count == 1 && victims[0].Placement.Gpus <= job.Gpus
        && victims[0].Spec.Checkpointable && victims[0].Spec.Priority == Core.Model.PriorityClass.Preemptible;

    private static int GpusOnNode(RunningJob job, int node)
    {
        var i = Array.IndexOf(job.Placement.Nodes, node);
        return i < 0 ? 0 : BitOperations.PopCount(job.Placement.GpuMasks[i]);
    }
}
