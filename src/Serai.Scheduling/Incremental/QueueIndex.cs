using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Incremental;

/// <summary>A pending job as the index holds it: where it sits, and whether it is still queued.</summary>
internal sealed class QueueEntry(PendingJob job, Bucket bucket, bool needsFullCycle)
{
    public PendingJob Job { get; } = job;
    public Bucket Bucket { get; } = bucket;
    public bool NeedsFullCycle { get; } = needsFullCycle;
    public bool Alive { get; set; } = true;
}

/// <summary>
/// The jobs of one tenant with one shape and one size, in the tenant's queue order: they all fail together, so a
/// cycle passes over them in one step. A volatile bucket (jobs the deferral plugin may still defer) is never skipped.
/// </summary>
internal sealed class Bucket(int tenant, JobShape shape, int gpus, bool isVolatile)
{
    public int Tenant { get; } = tenant;
    public JobShape Shape { get; } = shape;
    public int Gpus { get; } = gpus;
    public bool Volatile { get; } = isVolatile;
    public SortedEntries Items { get; } = new();

    /// <summary>Position of the next job in this cycle.</summary>
    public int Cursor { get; set; }
}

/// <summary>One tenant's pending jobs: all of them in queue order, and by bucket.</summary>
internal sealed class TenantQueue
{
    public SortedEntries Ordered { get; } = new();
    public Dictionary<(JobShape Shape, int Gpus, bool Volatile), Bucket> Buckets { get; } = [];
}

/// <summary>A list of entries kept in queue order; removed entries stay as tombstones until half the list is dead.</summary>
internal sealed class SortedEntries
{
    private readonly List<QueueEntry> _items = [];
    private int _dead;

    public int Count => _items.Count;
    public int AliveCount => _items.Count - _dead;
    public QueueEntry this[int i] => _items[i];

    public void Insert(QueueEntry entry, IComparer<PendingJob> order)
    {
        if (_items.Count == 0 || order.Compare(_items[^1].Job, entry.Job) < 0)
        {
            _items.Add(entry); // the usual case: a new submission goes last
            return;
        }
        _items.Insert(UpperBound(entry.Job, order), entry);
    }

    public void Removed()
    {
        if (++_dead > 32 && _dead * 2 > _items.Count)
        {
            _items.RemoveAll(e => !e.Alive);
            _dead = 0;
        }
    }

    /// <summary>The first position whose job comes after <paramref name="job"/> in queue order.</summary>
    public int UpperBound(PendingJob job, IComparer<PendingJob> order)
    {
        int lo = 0, hi = _items.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (order.Compare(_items[mid].Job, job) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>The first live entry at or after <paramref name="from"/>, or <see cref="Count"/>.</summary>
    public int NextAlive(int from)
    {
        while (from < _items.Count && !_items[from].Alive)
        {
            from++;
        }
        return from;
    }
}

/// <summary>
/// The pending queue kept across cycles, by tenant and by bucket, in step with the list the control loop hands over.
/// The control loop keeps its list in order (removals close up, arrivals go last, a changed job is replaced in place),
/// so the two lists are compared by reference in one pass, which costs a pointer comparison per job.
/// </summary>
internal sealed class QueueIndex(int tenants, IComparer<PendingJob> order)
{
    private readonly Dictionary<JobId, QueueEntry> _entries = [];
    private PendingJob[] _last = [], _spareLast = [];
    private QueueEntry[] _lastEntries = [], _spareEntries = [];
    private int[] _kept = [];
    private int _lastCount, _stamp, _needsFull;

    public TenantQueue[] Tenants { get; } = [.. Enumerable.Range(0, tenants).Select(_ => new TenantQueue())];
    public IComparer<PendingJob> Order { get; } = order;

    /// <summary>Jobs that the incremental cycle leaves to a full one (to be rejected: unknown references, no pool).</summary>
    public int NeedingFullCycle => _needsFull;

    public int Count => _entries.Count;

    /// <summary>Brings the index in step with <paramref name="queue"/>; false when the list is not one it can follow (the index is then rebuilt).</summary>
    public void Sync(IReadOnlyList<PendingJob> queue, Func<PendingJob, (JobShape Shape, bool Volatile, bool NeedsFull)> classify)
    {
        if (!TrySync(queue, classify))
        {
            Reset();
            TrySync(queue, classify);
        }
    }

    private void Reset()
    {
        _entries.Clear();
        foreach (var t in Tenants)
        {
            t.Buckets.Clear();
        }
        for (var i = 0; i < Tenants.Length; i++)
        {
            Tenants[i] = new TenantQueue();
        }
        _lastCount = 0;
        _needsFull = 0;
        Array.Clear(_last);
        Array.Clear(_lastEntries);
    }

    private bool TrySync(IReadOnlyList<PendingJob> queue, Func<PendingJob, (JobShape Shape, bool Volatile, bool NeedsFull)> classify)
    {
        var n = queue.Count;
        if (_spareLast.Length < n)
        {
            _spareLast = new PendingJob[Math.Max(n, _spareLast.Length * 2)];
            _spareEntries = new QueueEntry[_spareLast.Length];
        }
        var (last, entries) = (_spareLast, _spareEntries); // two buffers, swapped each cycle
        if (_kept.Length < _lastCount)
        {
            _kept = new int[_lastCount];
        }
        var stamp = ++_stamp;
        List<int>? added = null;
        var i = 0;
        for (var j = 0; j < n; j++)
        {
            var p = queue[j];
            last[j] = p;
            if (i < _lastCount && ReferenceEquals(_last[i], p))
            {
                _kept[i] = stamp;
                entries[j] = _lastEntries[i++];
                continue;
            }
            if (_entries.TryGetValue(p.Id, out var known) && ReferenceEquals(known.Job, p))
            {
                var k = i;
                while (k < _lastCount && !ReferenceEquals(_last[k], p))
                {
                    k++;
                }
                if (k == _lastCount)
                {
                    return false; // moved backwards: not a list this index follows
                }
                _kept[k] = stamp;
                entries[j] = _lastEntries[k];
                i = k + 1;
                continue;
            }
            (added ??= []).Add(j);
        }
        for (var k = 0; k < _lastCount; k++)
        {
            if (_kept[k] != stamp)
            {
                Remove(_lastEntries[k]);
            }
        }
        foreach (var j in added ?? [])
        {
            if (_entries.ContainsKey(queue[j].Id))
            {
                return false; // the same job twice
            }
            entries[j] = Add(queue[j], classify(queue[j]));
        }
        (_spareLast, _spareEntries) = (_last, _lastEntries);
        (_last, _lastEntries, _lastCount) = (last, entries, n);
        return true;
    }

    private QueueEntry Add(PendingJob job, (JobShape Shape, bool Volatile, bool NeedsFull) c)
    {
        var tenant = Tenants[c.NeedsFull ? 0 : job.Spec.Tenant];
        var key = (c.Shape, job.Spec.Gpus, c.Volatile);
        if (!tenant.Buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket(c.NeedsFull ? 0 : job.Spec.Tenant, c.Shape, job.Spec.Gpus, c.Volatile);
            tenant.Buckets[key] = bucket;
        }
        var entry = new QueueEntry(job, bucket, c.NeedsFull);
        _entries[job.Id] = entry;
        _needsFull += c.NeedsFull ? 1 : 0;
        tenant.Ordered.Insert(entry, Order);
        bucket.Items.Insert(entry, Order);
        return entry;
    }

    private void Remove(QueueEntry entry)
    {
        if (!entry.Alive)
        {
            return;
        }
        entry.Alive = false;
        _entries.Remove(entry.Job.Id);
        _needsFull -= entry.NeedsFullCycle ? 1 : 0;
        var tenant = Tenants[entry.Bucket.Tenant];
        tenant.Ordered.Removed();
        entry.Bucket.Items.Removed();
        if (entry.Bucket.Items.AliveCount == 0)
        {
            tenant.Buckets.Remove((entry.Bucket.Shape, entry.Bucket.Gpus, entry.Bucket.Volatile));
        }
    }
}
