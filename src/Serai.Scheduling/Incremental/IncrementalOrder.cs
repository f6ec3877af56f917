using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Incremental;

/// <summary>What the cycle may pass over at this point.</summary>
internal enum SkipMode
{
    /// <summary>Strict order: every job until the first blocked one.</summary>
    None,

    /// <summary>Backfill reservations are still free: only jobs whose wait cannot take one (turned away before capacity).</summary>
    Reserving,

    /// <summary>Every job known to stay blocked.</summary>
    Free,
}

/// <summary>
/// The queue order of a full cycle, read from the index: tenants' queues merged by the order's key (the job itself
/// for fifo, priority and sjf, whose global order is the merge of per-tenant orders; class, fair share now, submit
/// time and id for priority-fairshare, re-keyed after each of the tenant's jobs is decided). Within a tenant the
/// buckets the cycle may not pass over are merged by their next job; awake buckets are in the merge from the start,
/// dormant ones join in order of their first job only while reservations are free, quiet ones only when this
/// cycle's memo gives their shape a want of room. Leaving out jobs that change nothing keeps the order of the
/// others: keys within a tenant only grow during a cycle (a tenant's fair share rises only with its own placements,
/// and any release ends the attempt), so the merge of what is left is the full merge with those jobs taken out.
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
    private readonly PriorityQueue<Bucket, PendingJob>[] _buckets;
    private readonly IEnumerator<Bucket>?[] _dormant;
    private readonly Bucket?[] _nextDormant;
    private readonly double[] _fairShareKey;
    private readonly IComparer<PendingJob> _order;
    private static long s_merges;
    private SkipMode _mode;
    private int _current = -1;
    private long _merge;

    public IncrementalOrder(QueueIndex index, CycleContext view, bool fairShare, SchedulingCycle cycle)
    {
        (_index, _view, _fairShare, _cycle, _order) = (index, view, fairShare, cycle, index.Order);
        var n = index.Tenants.Length;
        _lastYielded = new PendingJob?[n];
        _head = new QueueEntry?[n];
        _buckets = [.. Enumerable.Range(0, n).Select(_ => new PriorityQueue<Bucket, PendingJob>(index.Order))];
        _dormant = new IEnumerator<Bucket>?[n];
        _nextDormant = new Bucket?[n];
        _fairShareKey = new double[n];
        _tenants = new PriorityQueue<int, PendingJob>(n, fairShare ? Comparer<PendingJob>.Create(CompareFairShare) : index.Order);
    }

    public void Start(SkipMode mode)
    {
        _mode = mode;
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

    /// <summary>
    /// The job <see cref="Next"/> gave was decided. <paramref name="memoChanged"/>: the decision changed the cycle's
    /// failure memo (for the job's shape); <paramref name="mode"/>: what may be passed over from now.
    /// </summary>
    public void Decided(QueueEntry entry, bool memoChanged, SkipMode mode)
    {
        var t = _current;
        var bucket = _buckets[t].Dequeue();
        bucket.HeldBy = 0;
        bucket.Cursor++;
        Enqueue(t, bucket);
        if (mode != _mode)
        {
            var wider = mode == SkipMode.Free && _mode == SkipMode.Reserving;
            _mode = mode;
            if (!wider)
            {
                Rebuild(); // reservations freed again: what was passed over may count again
                return;
            }
            RekeyAll(); // passing over more: heads may move on
            return;
        }
        if (memoChanged && _mode == SkipMode.Reserving)
        {
            // The memo's answer for this shape changed: buckets it hid may now take a reservation, from here on.
            foreach (var b in _index.BucketsOf(entry.Bucket.Shape))
            {
                Activate(t, b);
            }
        }
        EnqueueTenant(t);
    }

    private void Rebuild()
    {
        _merge = Interlocked.Increment(ref s_merges); // a new merge: no bucket is held by it yet
        _tenants.Clear();
        for (var t = 0; t < _index.Tenants.Length; t++)
        {
            var tenant = _index.Tenants[t];
            _buckets[t].Clear();
            foreach (var b in _mode == SkipMode.None ? tenant.Buckets.Values : (IEnumerable<Bucket>)tenant.Awake)
            {
                Activate(t, b);
            }
            _dormant[t]?.Dispose();
            _dormant[t] = null;
            _nextDormant[t] = null;
            if (_mode == SkipMode.Reserving && tenant.Dormant.Count > 0)
            {
                _dormant[t] = tenant.Dormant.GetEnumerator();
                AdvanceDormant(t);
            }
        }
        if (_mode == SkipMode.Reserving)
        {
            foreach (var (shape, _, _) in _cycle.MemoEntries)
            {
                foreach (var b in _index.BucketsOf(shape))
                {
                    Activate(b.Tenant, b); // quiet buckets whose shape the memo gives a want of room
                }
            }
        }
        RekeyAll();
    }

    private void RekeyAll()
    {
        _tenants.Clear();
        for (var t = 0; t < _index.Tenants.Length; t++)
        {
            EnqueueTenant(t);
        }
    }

    /// <summary>Puts the bucket in the tenant's merge from the tenant's position, unless it is there or is to be passed over.</summary>
    private void Activate(int t, Bucket bucket)
    {
        if (bucket.HeldBy == _merge || bucket.Items.AliveCount == 0 || _cycle.Skippable(bucket, _mode))
        {
            return;
        }
        var last = _lastYielded[t];
        bucket.Cursor = last is null ? 0 : bucket.Items.UpperBound(last, _order);
        Enqueue(t, bucket);
    }

    private void Enqueue(int t, Bucket bucket)
    {
        bucket.Cursor = bucket.Items.NextAlive(bucket.Cursor);
        if (bucket.Cursor < bucket.Items.Count)
        {
            _buckets[t].Enqueue(bucket, bucket.Items[bucket.Cursor].Job);
            bucket.HeldBy = _merge;
        }
    }

    private void AdvanceDormant(int t)
    {
        _nextDormant[t] = _dormant[t]!.MoveNext() ? _dormant[t]!.Current : null;
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
        var heap = _buckets[t];
        while (true)
        {
            // Dormant buckets join in order of their first job, before any later job is handed out.
            while (_mode == SkipMode.Reserving && _nextDormant[t] is { } d
                && (!heap.TryPeek(out _, out var min) || _order.Compare(d.Items.First.Job, min) < 0))
            {
                AdvanceDormant(t);
                Activate(t, d);
            }
            if (!heap.TryPeek(out var bucket, out _))
            {
                return null;
            }
            if (_cycle.Skippable(bucket, _mode, checkSuspects: true))
            {
                heap.Dequeue();
                bucket.HeldBy = 0;
                continue;
            }
            return bucket.Items[bucket.Cursor];
        }
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
