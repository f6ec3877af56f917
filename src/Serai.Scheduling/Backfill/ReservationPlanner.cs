using System.Numerics;
using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Filters;

namespace Serai.Scheduling.Backfill;

/// <summary>
/// Finds the earliest time a blocked job could start on a pool by walking running jobs in order of expected end,
/// and the nodes it would start on. Jobs without an estimate never end in this reckoning.
/// </summary>
internal static class ReservationPlanner
{
    public static Reservation? Plan(CycleContext context, JobSpec job, IEnumerable<int> pools)
    {
        Reservation? best = null;
        foreach (var pool in pools)
        {
            var candidate = PlanOnPool(context, job, pool);
            if (candidate is not null && (best is null || candidate.StartUnix < best.StartUnix))
            {
                best = candidate;
            }
        }
        return best;
    }

    private static Reservation? PlanOnPool(CycleContext context, JobSpec job, int pool)
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

    private static Reservation? Walk(CycleContext context, JobSpec job, int pool, int[] gained, List<int> touched)
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
                    return new Reservation(job.Id, pool, Math.Max(end, context.NowUnix), new HashSet<int> { node });
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
                return new Reservation(job.Id, pool, Math.Max(end, context.NowUnix), nodes);
            }
        }
        return null;
    }
}
