using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Queue;

/// <summary>
/// Priority class first, then fair share, then submit time. Each tenant keeps its own queue; tenants' heads are
/// merged through a heap keyed by (head priority, tenant fair share now, head submit time). The tenant just served
/// is re-keyed after the cycle has handled its head, so a tenant that receives GPUs in this cycle moves back.
/// </summary>
public sealed class FairShareOrder : IQueueOrder
{
    public string Name => "priority-fairshare";

    public IEnumerable<PendingJob> Order(ISchedulingView view, IReadOnlyList<PendingJob> queue)
    {
        var tenants = view.Hub.Tenants.Length;
        var byTenant = new List<PendingJob>?[tenants];
        List<PendingJob>? unknownTenant = null;
        foreach (var job in queue)
        {
            var t = job.Spec.Tenant;
            if (t < 0 || t >= tenants)
            {
                (unknownTenant ??= []).Add(job); // handed over first, to be rejected
                continue;
            }
            (byTenant[t] ??= []).Add(job);
        }
        foreach (var job in unknownTenant ?? [])
        {
            yield return job;
        }
        var heap = new PriorityQueue<int, HeadKey>(tenants, HeadKey.Comparer);
        var cursor = new int[tenants];
        for (var t = 0; t < tenants; t++)
        {
            if (byTenant[t] is { } list)
            {
                SortIfNeeded(list);
                heap.Enqueue(t, Key(view, list[0]));
            }
        }
        while (heap.TryDequeue(out var tenant, out _))
        {
            var list = byTenant[tenant]!;
            var i = cursor[tenant];
            yield return list[i];
            cursor[tenant] = ++i;
            if (i < list.Count)
            {
                heap.Enqueue(tenant, Key(view, list[i]));
            }
        }
    }

    /// <summary>Queues arrive mostly in order already; a linear check spares most cycles the sort.</summary>
    private static void SortIfNeeded(List<PendingJob> list)
    {
        var comparer = QueueOrders.PriorityComparer.Instance;
        for (var i = 1; i < list.Count; i++)
        {
            if (comparer.Compare(list[i - 1], list[i]) > 0)
            {
                list.Sort(comparer);
                return;
            }
        }
    }

    private static HeadKey Key(ISchedulingView view, PendingJob head) => new(head, view.FairShare(head.Spec.Tenant));

    /// <summary>
    /// The order's key: class (higher first), then the tenant's fair share as the job was keyed with (lower first), then
    /// submit time and id. The incremental order compares by the same key.
    /// </summary>
    internal static int CompareKeys(PendingJob x, double xFairShare, PendingJob y, double yFairShare)
    {
        var c = ((int)y.Spec.Priority).CompareTo((int)x.Spec.Priority);
        if (c == 0)
        {
            c = xFairShare.CompareTo(yFairShare);
        }
        return c != 0 ? c : QueueOrders.FifoComparer.Instance.Compare(x, y);
    }

    private readonly record struct HeadKey(PendingJob Head, double FairShare)
    {
        public static readonly IComparer<HeadKey> Comparer =
            Comparer<HeadKey>.Create((x, y) => CompareKeys(x.Head, x.FairShare, y.Head, y.FairShare));
    }
}
