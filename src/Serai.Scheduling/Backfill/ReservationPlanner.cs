using System.Numerics;
using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Filters;

namespace Serai.Scheduling.Backfill;

/// <summary>
/// Finds the earliest time a blocked job could start on a pool by walking running jobs in order of expected end,
/// and the nodes it would start on. Jobs without an estimate never end in this reckoning. With a
/// <see cref="ReservationMemo"/> kept across cycles, a pool unchanged since a gang of the same size was planned on it
/// gives the same answer without the walk.
/// </summary>
internal static class ReservationPlanner
{
    public static Reservation? Plan(CycleContext context, JobSpec job, IEnumerable<int> pools, ReservationMemo? memo = null)
    {
        Reservation? best = null;
        foreach (var pool in pools)
        {
            var candidate = PlanOnPool(context, job, pool, memo);
            if (candidate is not null && (best is null || candidate.StartUnix < best.StartUnix))
            {
                best = candidate;
            }
        }
        return best;
    }

    private static Reservation? PlanOnPool(CycleContext context, JobSpec job, int pool, ReservationMemo? memo)
    {
        var state = context.State.Pools[pool];
        if (memo is null || !memo.TryGet(state, pool, job, out var plan))
        {
            plan = PlanAfresh(context, job, pool);
            memo?.Put(state, pool, job, plan);
        }
        return plan.Nodes is null ? null : new Reservation(job.Id, pool, Math.Max(plan.EndUnix, context.NowUnix), plan.Nodes);
    }

    private static PoolPlan PlanAfresh(CycleContext context, JobSpec job, int pool)
    {
        var state = context.State.Pools[pool];
        var gained = context.ZeroedPerNode(state.Pool.Nodes); // GPUs each node gains as jobs end, set back to 0 below
        var touched = new List<int>();
        try
        {
            return Walk(context, job, pool, gained, touched);
        }
        finally
        {
            foreach (var node in touched)
            {
                gained[node] = 0;
            }
        }
    }

    private static PoolPlan Walk(CycleContext context, JobSpec job, int pool, int[] gained, List<int> touched)
    {
        var state = context.State.Pools[pool];
        var g = state.Pool.GpusPerNode;
        var shape = GangShape.For(job, state.Pool);
        List<int>? newlyWhole = null;
        var ends = context.State.EndsInOrder(pool);
        while (ends.MoveNext())
        {
            var (end, id) = ends.Current;
            if (!context.State.Running.TryGetValue(id, out var running))
            {
                continue;
            }
            var placement = running.Placement;
            for (var i = 0; i < placement.Nodes.Length; i++)
            {
                var node = placement.Nodes[i];
                if (state.IsDown(node))
                {
                    continue;
                }
                if (gained[node] == 0)
                {
                    touched.Add(node);
                }
                gained[node] += BitOperations.PopCount(placement.GpuMasks[i]);
                var free = state.FreeOnNode(node) + gained[node];
                if (!shape.MultiNode && free >= job.Gpus)
                {
                    return new PoolPlan(end, new HashSet<int> { node });
                }
                if (shape.MultiNode && free == g)
                {
                    (newlyWhole ??= []).Add(node);
                }
            }
            if (shape.MultiNode && state.FreeWholeNodes + (newlyWhole?.Count ?? 0) >= shape.Nodes)
            {
                var nodes = new HashSet<int>(newlyWhole ?? []);
                foreach (var n in state.WholeFreeNodes())
                {
                    if (nodes.Count >= shape.Nodes)
                    {
                        break;
                    }
                    nodes.Add(n);
                }
                return new PoolPlan(end, nodes);
            }
        }
        return new PoolPlan(0, null);
    }
}

/// <summary>Where and when, at the earliest, a gang could start on a pool as running jobs end (no nodes: never).</summary>
internal readonly record struct PoolPlan(long EndUnix, IReadOnlySet<int>? Nodes);

/// <summary>
/// Plans kept across cycles by pool and gang size (the walk reads nothing else of the job), each valid while its
/// pool is the same object at the same <see cref="PoolState.Version"/>, which counts every start, end and node change.
/// </summary>
internal sealed class ReservationMemo
{
    private readonly Dictionary<(int Pool, int Gpus, int GpusPerNode), (PoolState State, long Version, PoolPlan Plan)> _plans = [];

    public bool TryGet(PoolState state, int pool, JobSpec job, out PoolPlan plan)
    {
        if (_plans.TryGetValue((pool, job.Gpus, job.GpusPerNode), out var kept) && ReferenceEquals(kept.State, state) && kept.Version == state.Version)
        {
            plan = kept.Plan;
            return true;
        }
        plan = default;
        return false;
    }

    public void Put(PoolState state, int pool, JobSpec job, PoolPlan plan) => _plans[(pool, job.Gpus, job.GpusPerNode)] = (state, state.Version, plan);
}
