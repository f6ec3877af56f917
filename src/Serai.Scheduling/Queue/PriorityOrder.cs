using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Queue;

/// <summary>
/// Priority class, then submit time, then id: Slurm's queue with the QOS factor only (no fair share, no age
/// weighting beyond submit order). The <c>slurm</c>, <c>srtf</c> and <c>las</c> baselines start from it.
/// </summary>
public sealed class PriorityOrder : IQueueOrder
{
    public string Name => "priority";

    public IEnumerable<PendingJob> Order(ISchedulingView view, IReadOnlyList<PendingJob> queue) =>
        QueueOrders.Sorted(queue, QueueOrders.PriorityComparer.Instance);
}
