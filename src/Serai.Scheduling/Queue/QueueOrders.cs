using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Queue;

/// <summary>Queue order plugins: the sequence in which a cycle considers pending jobs.</summary>
public static class QueueOrders
{
    public static IEnumerable<PendingJob> Order(CycleContext context, IReadOnlyList<PendingJob> queue) =>
        context.Profile.QueueOrder switch
        {
            QueueOrderKind.Fifo => Sorted(queue, FifoComparer.Instance),
            QueueOrderKind.ShortestJobFirst => Sorted(queue, ShortestFirstComparer.Instance),
            _ => FairShareOrder.Order(context, queue),
        };

    private static PendingJob[] Sorted(IReadOnlyList<PendingJob> queue, IComparer<PendingJob> comparer)
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
