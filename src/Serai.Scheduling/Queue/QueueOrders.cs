using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Queue;

/// <summary>First come, first served: submit time, then id.</summary>
public sealed class FifoOrder : IQueueOrder
{
    public string Name => "fifo";

    public IEnumerable<PendingJob> Order(ISchedulingView view, IReadOnlyList<PendingJob> queue) =>
        QueueOrders.Sorted(queue, QueueOrders.FifoComparer.Instance);
}

/// <summary>Shortest job first: priority class, then shortest estimate (unknown last), then submit time.</summary>
public sealed class ShortestJobFirstOrder : IQueueOrder
{
    public string Name => "sjf";

    public IEnumerable<PendingJob> Order(ISchedulingView view, IReadOnlyList<PendingJob> queue) =>
        QueueOrders.Sorted(queue, QueueOrders.ShortestFirstComparer.Instance);
}

/// <summary>The comparers the queue orders share.</summary>
internal static class QueueOrders
{
    public static PendingJob[] Sorted(IReadOnlyList<PendingJob> queue, IComparer<PendingJob> comparer)
    {
        var jobs = queue.ToArray();
        for (var i = 1; i < jobs.Length; i++)
        {
            if (comparer.Compare(jobs[i - 1], jobs[i]) > 0)
            {
                Array.Sort(jobs, comparer); // queues mostly arrive in order: sort only when they are not
                break;
            }
        }
        return jobs;
    }

    /// <summary>Submit time, then id.</summary>
    internal sealed class FifoComparer : IComparer<PendingJob>
    {
        public static readonly FifoComparer Instance = new();

        public int Compare(PendingJob? x, PendingJob? y)
        {
            var c = x!.Spec.SubmitUnix.CompareTo(y!.Spec.SubmitUnix);
            return c != 0 ? c : x.Id.CompareTo(y.Id);
        }
    }

    /// <summary>Priority class, then within a class by submit time, then id: a tenant's own queue.</summary>
    internal sealed class PriorityComparer : IComparer<PendingJob>
    {
        public static readonly PriorityComparer Instance = new();

        public int Compare(PendingJob? x, PendingJob? y)
        {
            var c = ((int)y!.Spec.Priority).CompareTo((int)x!.Spec.Priority);
            return c != 0 ? c : FifoComparer.Instance.Compare(x, y);
        }
    }

    /// <summary>Priority class, then shortest estimate (unknown last), then submit time.</summary>
    internal sealed class ShortestFirstComparer : IComparer<PendingJob>
    {
        public static readonly ShortestFirstComparer Instance = new();

        public int Compare(PendingJob? x, PendingJob? y)
        {
            var c = ((int)y!.Spec.Priority).CompareTo((int)x!.Spec.Priority);
            if (c != 0)
            {
                return c;
            }
            c = (x.Spec.EstimatedSeconds ?? long.MaxValue).CompareTo(y.Spec.EstimatedSeconds ?? long.MaxValue);
            return c != 0 ? c : FifoComparer.Instance.Compare(x, y);
        }
    }
}
