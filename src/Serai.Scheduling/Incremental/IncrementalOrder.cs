using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Incremental;

/// <summary>
/// The queue order of a full cycle, read from the index: tenants' queues merged by the order's key (the job itself
/// for fifo, priority and sjf, whose global order is the merge of per-tenant orders; priority, fair share now, submit
/// time and id for priority-fairshare, re-keyed after each of the tenant's jobs is decided). While blocked jobs may
/// still take reservations it walks each tenant's whole queue; after that it walks buckets and leaves out those the
/// cycle says are blocked. Leaving out jobs that change nothing keeps the order of the others: keys within a tenant
/// only grow during a cycle (a tenant's fair share rises only with its own placements, and any release ends the
/// attempt), so the merge of what is left is the full merge with those jobs taken out.
/// </summary>
internal sealed class IncrementalOrder
{
    private readonly QueueIndex _index;
    private readonly CycleContext _view;
    private readonly bool _fairShare;
    private readonly SchedulingCycle _cycle;
    private readonly PriorityQueue<int, PendingJob> _tenants;
    private readonly PendingJob?[] _lastYielded;
    private readonly QueueEntry?[] _head;
    private readonly int[] _cursor;
    private readonly PriorityQueue<Bucket, PendingJob>?[] _buckets;
    private readonly double[] _fairShareKey;
    private bool _skipping;
    private int _current = -1;

    public IncrementalOrder(QueueIndex index, CycleContext view, bool fairShare, SchedulingCycle cycle)
    {
        (_index, _view, _fairShare, _cycle) = (index, view, fairShare, cycle);
        var n = index.Tenants.Length;
        _lastYielded = new PendingJob?[n];
        _head = new QueueEntry?[n];
        _cursor = new int[n];
        _fairShareKey = new double[n];
        _buckets = new PriorityQueue<Bucket, PendingJob>?[n];
        _tenants = new PriorityQueue<int, PendingJob>(n, fairShare ? Comparer<PendingJob>.Create(CompareFairShare) : index.Order);
    }

    /// <summary>Tenants' queues walked in the order the full cycle's order plugin would give.</summary>
    public void Start(bool skipping)
    {
        _skipping = skipping;
        Rebuild();
    }

    public QueueEntry? Next()
    {
        if (!_tenants.TryDequeue(out var t, out _))
        {
            return null;
        }
        var entry = _head[t]!;
        _lastYielded[t] = entry.Job;
        _current = t;
        return entry;
    }

    /// <summary>The job <see cref="Next"/> gave was decided; <paramref name="skipping"/> says whether blocked buckets may now be passed over.</summary>
    public void Decided(bool skipping)
    {
        var t = _current;
        if (_skipping)
        {
            var bucket = _buckets[t]!.Dequeue();
            bucket.Cursor++;
            EnqueueBucket(_buckets[t]!, bucket);
        }
        else
        {
            _cursor[t]++;
        }
        if (skipping != _skipping)
        {
            _skipping = skipping;
            Rebuild();
            return;
        }
        EnqueueTenant(t);
    }

    private void Rebuild()
    {
        _tenants.Clear();
        for (var t = 0; t < _index.Tenants.Length; t++)
        {
            var last = _lastYielded[t];
            if (_skipping)
            {
                var heap = _buckets[t] ??= new PriorityQueue<Bucket, PendingJob>(_index.Order);
                heap.Clear();
                foreach (var bucket in _index.Tenants[t].Buckets.Values)
                {
                    if (!_cycle.Skippable(bucket))
                    {
                        bucket.Cursor = last is null ? 0 : bucket.Items.UpperBound(last, _index.Order);
                        EnqueueBucket(heap, bucket);
                    }
                }
            }
            else
            {
                _cursor[t] = last is null ? 0 : _index.Tenants[t].Ordered.UpperBound(last, _index.Order);
            }
            EnqueueTenant(t);
        }
    }

    private static void EnqueueBucket(PriorityQueue<Bucket, PendingJob> heap, Bucket bucket)
    {
        bucket.Cursor = bucket.Items.NextAlive(bucket.Cursor);
        if (bucket.Cursor < bucket.Items.Count)
        {
            heap.Enqueue(bucket, bucket.Items[bucket.Cursor].Job);
        }
    }

    private void EnqueueTenant(int t)
    {
        var head = Head(t);
        _head[t] = head;
        if (head is null)
        {
            return;
        }
        if (_fairShare)
        {
            _fairShareKey[t] = _view.FairShare(t);
        }
        _tenants.Enqueue(t, head.Job);
    }

    private QueueEntry? Head(int t)
    {
        if (!_skipping)
        {
            var ordered = _index.Tenants[t].Ordered;
            _cursor[t] = ordered.NextAlive(_cursor[t]);
            return _cursor[t] < ordered.Count ? ordered[_cursor[t]] : null;
        }
        var heap = _buckets[t]!;
        while (heap.TryPeek(out var bucket, out _))
        {
            if (_cycle.Skippable(bucket))
            {
                heap.Dequeue();
                continue;
            }
            return bucket.Items[bucket.Cursor];
        }
        return null;
    }

    /// <summary>The key of <see cref="Queue.FairShareOrder"/>: class (higher first), the tenant's fair share when keyed, submit time, id.</summary>
    private int CompareFairShare(PendingJob x, PendingJob y)
    {
        var c = ((int)y.Spec.Priority).CompareTo((int)x.Spec.Priority);
        if (c == 0)
        {
            c = _fairShareKey[x.Spec.Tenant].CompareTo(_fairShareKey[y.Spec.Tenant]);
        }
        if (c == 0)
        {
            c = x.Spec.SubmitUnix.CompareTo(y.Spec.SubmitUnix);
        }
        return c != 0 ? c : x.Id.Value.CompareTo(y.Id.Value);
    }
}
