using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Scheduling.Filters;

/// <summary>
/// How a gang lays out on a pool: on one node when it fits one (best fit), else on whole nodes, as many as its
/// GPUs need at the job's (or the pool's) GPUs per node. Multi-node gangs hold their nodes exclusively.
/// </summary>
public readonly record struct GangShape(int Nodes, bool MultiNode)
{
    public static GangShape For(JobSpec job, NodePool pool)
    {
        var perNode = job.GpusPerNode > 0 ? Math.Min(job.GpusPerNode, pool.GpusPerNode) : pool.GpusPerNode;
        if (job.Gpus <= perNode)
        {
            return new GangShape(1, false);
        }
        return new GangShape((job.Gpus + perNode - 1) / perNode, true);
    }

    /// <summary>GPUs the gang holds on the pool: its own on one node, whole nodes otherwise.</summary>
    public int HeldGpus(JobSpec job, NodePool pool) => MultiNode ? Nodes * pool.GpusPerNode : job.Gpus;
}
