using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;

namespace Serai.Scheduling.Filters;

/// <summary>
/// How a gang lays out on a pool: on one node when it fits one (best fit), else over as many nodes as its GPUs need
/// at the job's (or the pool's) GPUs per node, started on wholly free nodes. A gang holds exactly the GPUs it asked
/// for: 12 GPUs on 8-GPU nodes are 8 + 4 on two nodes, and the other 4 GPUs of the second node stay free for other
/// jobs. The scheduler's state, the accounting and the simulator's safety checker all count these 12.
/// </summary>
public readonly record struct GangShape(int Nodes, bool MultiNode, int PerNode)
{
    public static GangShape For(JobSpec job, NodePool pool)
    {
        var perNode = job.GpusPerNode > 0 ? Math.Min(job.GpusPerNode, pool.GpusPerNode) : pool.GpusPerNode;
        if (job.Gpus <= perNode)
        {
            return new GangShape(1, false, job.Gpus);
        }
        return new GangShape((job.Gpus + perNode - 1) / perNode, true, perNode);
    }

    /// <summary>GPUs the gang holds on the pool: exactly the ones it asked for, on one node or many.</summary>
    public static int HeldGpus(JobSpec job) => job.Gpus;

    /// <summary>
    /// The GPU masks of a multi-node gang on <paramref name="nodes"/> (wholly free): <see cref="PerNode"/> GPUs on each
    /// node, the remainder on the last, lowest GPU indexes first.
    /// </summary>
    public ulong[] Masks(JobSpec job, PoolState state, int[] nodes)
    {
        var masks = new ulong[nodes.Length];
        var left = job.Gpus;
        for (var i = 0; i < nodes.Length; i++)
        {
            var take = Math.Min(PerNode, left);
            masks[i] = state.PickGpus(nodes[i], take);
            left -= take;
        }
        return masks;
    }
}
