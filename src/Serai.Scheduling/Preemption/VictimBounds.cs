using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Upper bounds, per pool and class, on what preemption could free, computed once per cycle: the most GPUs one node
/// could offer (free plus those held by jobs of a lower class, or of the same class when reclaiming) and how many
/// nodes could be emptied. Placements during the cycle only lower the true figures, so the bounds stay valid until
/// something is released; a job that exceeds them needs no node scan.
/// </summary>
internal sealed class VictimBounds(CycleContext context)
{
    private readonly Dictionary<(int Pool, Core.Model.PriorityClass Priority, bool Inclusive), (int BestNodeGpus, int FreeableNodes)> _bounds = [];

    public bool MayFit(JobSpec job, int pool, bool reclaim, bool multiNode, int nodesNeeded)
    {
        var key = (pool, job.Priority, reclaim);
        if (!_bounds.TryGetValue(key, out var bound))
        {
            bound = _bounds[key] = Compute(pool, job.Priority, reclaim);
        }
        return multiNode ? bound.FreeableNodes >= nodesNeeded : bound.BestNodeGpus >= job.Gpus;
    }

    public void Clear() => _bounds.Clear();

    /// <summary>Forgets the bounds of one pool, after something there was released.</summary>
    public void Clear(int pool)
    {
        foreach (var key in _bounds.Keys.Where(k => k.Pool == pool).ToList())
        {
            _bounds.Remove(key);
        }
    }

    private (int BestNodeGpus, int FreeableNodes) Compute(int pool, Core.Model.PriorityClass priority, bool inclusive)
    {
        var state = context.State.Pools[pool];
        var g = state.Pool.GpusPerNode;
        var (best, freeable) = (0, 0);
        for (var node = 0; node < state.Pool.Nodes; node++)
        {
            if (state.IsDown(node))
            {
                continue;
            }
            var gpus = state.FreeOnNode(node);
            var all = true;
            foreach (var id in state.JobsOn(node))
            {
                var running = context.State.Running[id];
                if (running.Spec.Priority < priority || (inclusive && running.Spec.Priority == priority))
                {
                    gpus += OnNode(running, node);
                }
                else
                {
                    all = false;
                }
            }
            best = Math.Max(best, Math.Min(g, gpus));
            freeable += all ? 1 : 0;
        }
        return (best, freeable);
    }

    private static int OnNode(RunningJob job, int node)
    {
        var i = Array.IndexOf(job.Placement.Nodes, node);
        return i < 0 ? 0 : System.Numerics.BitOperations.PopCount(job.Placement.GpuMasks[i]);
    }
}
