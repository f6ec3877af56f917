using System.Numerics;
using Serai.Core.Jobs;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Computes (does not issue) the smallest set of victims that makes room for a job: for a single-node job the node
/// needing the fewest victims; for a multi-node gang the cheapest whole nodes. Stops early at a one-victim plan.
/// Like Kubernetes' preemption, it looks at a bounded sample of occupied nodes per pool (a tenth, at least 128,
/// from an offset that depends on the job), so an attempt on a pool of thousands of nodes stays cheap; the plan is
/// the smallest within that sample.
/// </summary>
internal static class VictimSelector
{
    private static readonly Dictionary<int, int> NoneTaken = [];

    /// <summary>
    /// The cheapest plan over <paramref name="pools"/>, which the caller has checked with <see cref="VictimRules.AnyCandidate"/>;
    /// with <paramref name="reclaimPlugin"/> a job within its guarantee may also take GPUs back from borrowers.
    /// </summary>
    public static PreemptionPlan? Plan(ISchedulingView view, JobSpec job, IReadOnlyList<int> pools, PreemptionMemo memo, bool reclaimPlugin)
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
            var plan = multiNode
                ? PlanWholeNodes(view, job, pool, reclaim)
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

    private static PreemptionPlan? PlanSingleNode(ISchedulingView view, JobSpec job, int pool, bool reclaim)
    {
        var state = view.Pool(pool);
        var accelerator = state.Pool.Accelerator.Index;
        List<RunningJob>? best = null;
        foreach (var node in Sample(state, job, minimum: 0))
        {
            var victims = Candidates(view, job, state, node, accelerator, reclaim);
            var free = state.FreeOnNode(node);
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

    private static PreemptionPlan? PlanWholeNodes(ISchedulingView view, JobSpec job, int pool, bool reclaim)
    {
        var state = view.Pool(pool);
        var accelerator = state.Pool.Accelerator.Index;
        var needed = GangShape.For(job, state.Pool).Nodes;
        var costed = new List<(int Cost, int Node, List<RunningJob> Victims)>();
        foreach (var free in state.WholeFreeNodes().Take(needed))
        {
            costed.Add((0, free, []));
        }
        var cheap = costed.Count;
        foreach (var node in Sample(state, job, minimum: needed * 4))
        {
            if (cheap >= needed)
            {
                break;
            }
            var jobs = Candidates(view, job, state, node, accelerator, reclaim);
            if (jobs.Count != state.JobsOn(node).Count)
            {
                continue; // a job on this node may not be preempted
            }
            costed.Add((jobs.Count, node, jobs));
            cheap += jobs.Count <= 1 ? 1 : 0;
        }
        if (costed.Count < needed)
        {
            return null;
        }
        costed.Sort((a, b) => a.Cost != b.Cost ? a.Cost.CompareTo(b.Cost) : a.Node.CompareTo(b.Node));
        var victims = new Dictionary<JobId, RunningJob>();
        foreach (var (_, _, jobs) in costed.Take(needed))
        {
            foreach (var v in jobs)
            {
                victims.TryAdd(v.Id, v);
            }
        }
        var ordered = victims.Values.OrderBy(v => v, VictimRules.Order).ToList();
        var takenByTenant = new Dictionary<int, int>();
        foreach (var v in ordered)
        {
            if (!VictimRules.MayPreempt(view, job, v, accelerator, reclaim, takenByTenant))
            {
                return null;
            }
            takenByTenant[v.Spec.Tenant] = takenByTenant.GetValueOrDefault(v.Spec.Tenant) + v.Placement.Gpus;
        }
        return ordered.Count == 0 ? null : new PreemptionPlan(pool, ordered, reclaim);
    }

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
    private static IEnumerable<int> Sample(PoolView state, JobSpec job, int minimum)
    {
        var nodes = state.Pool.Nodes;
        var limit = Math.Max(Math.Max(128, minimum), nodes / 10);
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

    /// <summary>Fewest victims first, then fewest GPUs of work stopped, then the victims cheapest to stop.</summary>
    private static bool Cheaper(IReadOnlyList<RunningJob> a, IReadOnlyList<RunningJob> b)
    {
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
