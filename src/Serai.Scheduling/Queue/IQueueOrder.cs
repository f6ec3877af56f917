using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Queue;

/// <summary>
/// The queue-order extension point: the sequence in which a cycle considers pending jobs. The sequence is read lazily,
/// one job at a time, so an order may look at the state as the cycle changes it (fair share moves a tenant just served
/// back at once).
/// </summary>
public interface IQueueOrder
{
    string Name { get; }

    IEnumerable<PendingJob> Order(ISchedulingView view, IReadOnlyList<PendingJob> queue);
}
