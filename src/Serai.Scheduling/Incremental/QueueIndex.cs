using System.Numerics;
using System.Runtime.InteropServices;
using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Incremental;

/// <summary>How the index files a job: its shape, whether every cycle must look at it, and why.</summary>
internal readonly record struct JobClass(JobShape Shape, bool Volatile, bool NeedsFull, bool DeferralCandidate);

/// <summary>A pending job as the index holds it: where it sits, and whether it is still queued.</summary>
internal sealed class QueueEntry(PendingJob job, Bucket bucket, bool needsFullCycle, bool deferralCandidate)
{
    public PendingJob Job { get; } = job;
    public Bucket Bucket { get; } = bucket;
    public bool NeedsFullCycle { get; } = needsFullCycle;

    /// <summary>The deferral plugin may defer it: looked at every cycle unless known undeferred until <see cref="UndeferredUntil"/>.</summary>
    public bool DeferralCandidate { get; } = deferralCandidate;
    public long UndeferredUntil { get; set; }
    public bool Alive { get; set; } = true;

    /// <summary>The entry that replaced this one when the job moved to another bucket.</summary>
    public QueueEntry? MovedTo { get; set; }

    public QueueEntry Current
    {
        get
        {
            var e = this;
            while (e.MovedTo is { } next)
            {
                e = next;
            }
            return e;
        }
    }
}

/// <summary>How a bucket is filed between cycles.</summary>
internal enum BucketClass
{
    /// <summary>Not known to be blocked: every cycle looks at it.</summary>
    Awake,

    /// <summary>Dormant, but its wait may be a want of room that takes a backfill reservation: looked at only while reservations are free.</summary>
    Dormant,

    /// <summary>Dormant and turned away before capacity on every pool: passed over (unless this cycle's memo says otherwise).</summary>
    Quiet,
}

/// <summary>
/// The jobs of one tenant with one shape and one size, in the tenant's queue order: they all fail together, so a
/// cycle passes over them in one step. A volatile bucket (jobs the deferral plugin may still defer, or jobs to be
/// rejected) is never passed over.
/// </summary>
internal sealed class Bucket(int tenant, JobShape shape, int gpus, bool isVolatile, int estimateBand)
{
    public int Tenant { get; } = tenant;
    public JobShape Shape { get; } = shape;
    public int Gpus { get; } = gpus;
    public bool Volatile { get; } = isVolatile;

    /// <summary>
    /// The jobs' estimates within a factor of two (<see cref="BandOf"/>): jobs that differ only there are blocked
    /// by backfill reservations alike once their estimates are alike, so a cycle can pass over the longer ones together.
    /// </summary>
    public int EstimateBand { get; } = estimateBand;
    public SortedEntries Items { get; } = new();
    public BucketClass Class { get; set; }

    /// <summary>No job filed in the bucket has a shorter estimate (null: none has one), a bound kept as jobs leave.</summary>
    public long? MinEstimateSeconds { get; private set; }

    public void Filed(JobSpec job) =>
        MinEstimateSeconds = job.EstimatedSeconds is { } s ? Math.Min(s, MinEstimateSeconds ?? s) : MinEstimateSeconds;

    /// <summary>The estimate's power of two in seconds (64 without an estimate).</summary>
    public static int BandOf(JobSpec job) => job.EstimatedSeconds is { } s ? BitOperations.Log2((ulong)Math.Max(1, s)) : 64;

    /// <summary>Position of the next job in this cycle, and which merge holds the bucket now (0: none).</summary>
    public int Cursor { get; set; }
    public long HeldBy { get; set; }
}

/// <summary>One tenant's pending jobs: all of them in queue order, and by bucket and class.</summary>
internal sealed class TenantQueue(IComparer<PendingJob> order)
{
    public SortedEntries Ordered { get; } = new();
    public Dictionary<(JobShape Shape, int Gpus, bool Volatile, int Band), Bucket> Buckets { get; } = [];
    public HashSet<Bucket> Awake { get; } = [];

    /// <summary>Dormant buckets by their first job, so a cycle that still takes reservations can reach them in order.</summary>
    public SortedSet<Bucket> Dormant { get; } = new(Comparer<Bucket>.Create((x, y) => order.Compare(x.Items.First.Job, y.Items.First.Job)));
}

/// <summary>A list of entries kept in queue order; removed entries stay as tombstones until half the list is dead.</summary>
internal sealed class SortedEntries
{
    private readonly List<QueueEntry> _items = [];
    private int _dead, _first;

    public int Count => _items.Count;
    public int AliveCount => _items.Count - _dead;
    public QueueEntry this[int i] => _items[i];

    /// <summary>The first live entry (the list must have one).</summary>
    public QueueEntry First => _items[_first = NextAlive(_first)];

    public void Insert(QueueEntry entry, IComparer<PendingJob> order)
    {
        if (_items.Count == 0 || order.Compare(_items[^1].Job, entry.Job) < 0)
        {
            _items.Add(entry); // the usual case: a new submission goes last
            return;
        }
        var at = UpperBound(entry.Job, order);
        _items.Insert(at, entry);
        _first = Math.Min(_first, at);
    }

    public void Removed()
    {
        if (++_dead > 32 && _dead * 2 > _items.Count)
        {
            _items.RemoveAll(e => !e.Alive);
            _dead = 0;
            _first = 0;
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
/// The pending queue kept across cycles, by tenant, bucket and class, in step with the list the control loop hands
/// over. The control loop keeps its list in order (removals close up, arrivals go last, a changed job is replaced in
/// place), so the two lists are compared by reference in one pass of pointer comparisons, and only differences cost more.
/// </summary>
internal sealed class QueueIndex : IDormancyListener
{
    private readonly Dictionary<JobId, QueueEntry> _entries = [];
    private readonly Dictionary<JobShape, List<Bucket>> _byShape = [];
    private readonly DormancyBook _dormancy;
    private PendingJob[] _last = [], _spareLast = [];
    private QueueEntry[] _lastEntries = [], _spareEntries = [];
    private int _lastCount, _spareCount, _needsFull;
    private readonly PriorityQueue<QueueEntry, long> _undeferred = new();
    private long _deferralWorld;

    public QueueIndex(int tenants, IComparer<PendingJob> order, DormancyBook dormancy)
    {
        Order = order;
        _dormancy = dormancy;
        Tenants = [.. Enumerable.Range(0, tenants).Select(_ => new TenantQueue(order))];
        dormancy.Listener = this;
    }

    public TenantQueue[] Tenants { get; }
    public IComparer<PendingJob> Order { get; }

    /// <summary>Jobs that the incremental cycle leaves to a full one (an unknown tenant, to be rejected).</summary>
    public int NeedingFullCycle => _needsFull;

    public int Count => _entries.Count;

    /// <summary>The buckets of a shape (all of one tenant).</summary>
    public IReadOnlyList<Bucket> BucketsOf(JobShape shape) => _byShape.TryGetValue(shape, out var list) ? list : [];

    /// <summary>
    /// Brings the index in step with <paramref name="queue"/> (rebuilt when the list is not one it can follow), and
    /// puts back among the jobs looked at every cycle those whose "not deferred" has run out at <paramref name="nowUnix"/>
    /// or whose <paramref name="deferralWorld"/> (what else the deferral plugin reads) changed.
    /// </summary>
    public void Sync(IReadOnlyList<PendingJob> queue, Func<PendingJob, JobClass> classify, long nowUnix, long deferralWorld)
    {
        var jobs = queue is List<PendingJob> list ? CollectionsMarshal.AsSpan(list) : queue.ToArray();
        if (!TrySync(jobs, classify))
        {
            Reset();
            TrySync(jobs, classify);
        }
        if (deferralWorld != _deferralWorld)
        {
            _deferralWorld = deferralWorld;
            foreach (var (entry, _) in _undeferred.UnorderedItems.ToList())
            {
                MoveBack(entry, entry.UndeferredUntil);
            }
            _undeferred.Clear();
        }
        while (_undeferred.TryPeek(out var entry, out var until) && until <= nowUnix)
        {
            _undeferred.Dequeue();
            MoveBack(entry, until);
        }
    }

    /// <summary>The deferral plugin did not defer the job this cycle, and will not until <paramref name="untilUnix"/>.</summary>
    public void Undeferred(QueueEntry entry, long untilUnix)
    {
        if (!entry.Alive || !entry.Bucket.Volatile)
        {
            return;
        }
        var moved = Move(entry, isVolatile: false);
        moved.UndeferredUntil = untilUnix;
        if (untilUnix != long.MaxValue)
        {
            _undeferred.Enqueue(moved, untilUnix);
        }
    }

    private void MoveBack(QueueEntry entry, long until)
    {
        if (entry.Alive && entry.UndeferredUntil == until && !entry.Bucket.Volatile)
        {
            Move(entry, isVolatile: true);
        }
    }

    private QueueEntry Move(QueueEntry entry, bool isVolatile)
    {
        Remove(entry);
        var moved = Add(entry.Job, new JobClass(entry.Bucket.Shape, isVolatile, NeedsFull: false, DeferralCandidate: true));
        entry.MovedTo = moved;
        return moved;
    }

    public void ShapeChanged(JobShape shape)
    {
        foreach (var bucket in BucketsOf(shape))
        {
            File(bucket);
        }
    }

    public void Cleared()
    {
        foreach (var tenant in Tenants)
        {
            foreach (var bucket in tenant.Buckets.Values)
            {
                File(bucket);
            }
        }
    }

    private void Reset()
    {
        _entries.Clear();
        _byShape.Clear();
        for (var i = 0; i < Tenants.Length; i++)
        {
            Tenants[i] = new TenantQueue(Order);
        }
        _lastCount = 0;
        _spareCount = 0;
        _undeferred.Clear();
        _needsFull = 0;
        Array.Clear(_last);
        Array.Clear(_lastEntries);
    }

    private bool TrySync(ReadOnlySpan<PendingJob> queue, Func<PendingJob, JobClass> classify)
    {
        var n = queue.Length;
        if (_spareLast.Length < n)
        {
            _spareLast = new PendingJob[Math.Max(n, _spareLast.Length * 2)];
            _spareEntries = new QueueEntry[_spareLast.Length];
            _spareCount = 0;
        }
        var (last, entries) = (_spareLast, _spareEntries); // two buffers, swapped each cycle
        List<int>? added = null;
        int i = 0, j = 0;
        var old = _last.AsSpan(0, _lastCount);
        while (j < n)
        {
            var (i0, j0) = (i, j);
            while (j < n && i < old.Length && ReferenceEquals(queue[j], old[i]))
            {
                i++;
                j++;
            }
            if (j > j0)
            {
                old[i0..i].CopyTo(last.AsSpan(j0));
                _lastEntries.AsSpan(i0, i - i0).CopyTo(entries.AsSpan(j0));
                continue;
            }
            var p = queue[j];
            if (_entries.TryGetValue(p.Id, out var known) && ReferenceEquals(known.Job, p))
            {
                var k = i;
                while (k < old.Length && !ReferenceEquals(old[k], p))
                {
                    k++;
                }
                if (k == old.Length)
                {
                    return false; // moved backwards: not a list this index follows
                }
                for (; i < k; i++)
                {
                    Remove(_lastEntries[i].Current);
                }
                continue;
            }
            last[j] = p;
            (added ??= []).Add(j++);
        }
        for (; i < old.Length; i++)
        {
            Remove(_lastEntries[i].Current);
        }
        foreach (var a in added ?? [])
        {
            if (_entries.ContainsKey(queue[a].Id))
            {
                return false; // the same job twice
            }
            entries[a] = Add(queue[a], classify(queue[a]));
        }
        if (n < _spareCount)
        {
            Array.Clear(last, n, _spareCount - n); // let go of jobs no longer queued
            Array.Clear(entries, n, _spareCount - n);
        }
        (_spareLast, _spareEntries, _spareCount) = (_last, _lastEntries, _lastCount);
        (_last, _lastEntries, _lastCount) = (last, entries, n);
        return true;
    }

    private QueueEntry Add(PendingJob job, JobClass c)
    {
        var t = c.NeedsFull ? 0 : job.Spec.Tenant;
        var tenant = Tenants[t];
        var key = (c.Shape, job.Spec.Gpus, c.Volatile, Bucket.BandOf(job.Spec));
        if (!tenant.Buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket(t, c.Shape, job.Spec.Gpus, c.Volatile, key.Item4);
            tenant.Buckets[key] = bucket;
            if (!_byShape.TryGetValue(c.Shape, out var shapeBuckets))
            {
                _byShape[c.Shape] = shapeBuckets = [];
            }
            shapeBuckets.Add(bucket);
        }
        var entry = new QueueEntry(job, bucket, c.NeedsFull, c.DeferralCandidate);
        _entries[job.Id] = entry;
        _needsFull += c.NeedsFull ? 1 : 0;
        tenant.Ordered.Insert(entry, Order);
        var wasFiled = bucket.Items.AliveCount > 0;
        if (wasFiled && bucket.Class == BucketClass.Dormant)
        {
            tenant.Dormant.Remove(bucket); // keyed by its first job, which may change
        }
        bucket.Items.Insert(entry, Order);
        bucket.Filed(job.Spec);
        if (!wasFiled)
        {
            bucket.Class = BucketClass.Awake;
            tenant.Awake.Add(bucket);
            File(bucket);
        }
        else if (bucket.Class == BucketClass.Dormant)
        {
            tenant.Dormant.Add(bucket);
        }
        return entry;
    }

    private void Remove(QueueEntry entry)
    {
        if (!entry.Alive)
        {
            return;
        }
        var bucket = entry.Bucket;
        var tenant = Tenants[bucket.Tenant];
        if (bucket.Class == BucketClass.Dormant)
        {
            tenant.Dormant.Remove(bucket);
        }
        entry.Alive = false;
        _entries.Remove(entry.Job.Id);
        _needsFull -= entry.NeedsFullCycle ? 1 : 0;
        tenant.Ordered.Removed();
        bucket.Items.Removed();
        if (bucket.Items.AliveCount == 0)
        {
            tenant.Awake.Remove(bucket);
            tenant.Buckets.Remove((bucket.Shape, bucket.Gpus, bucket.Volatile, bucket.EstimateBand));
            var shapeBuckets = _byShape[bucket.Shape];
            shapeBuckets.Remove(bucket);
            if (shapeBuckets.Count == 0)
            {
                _byShape.Remove(bucket.Shape);
            }
        }
        else if (bucket.Class == BucketClass.Dormant)
        {
            tenant.Dormant.Add(bucket);
        }
    }

    /// <summary>Files a bucket with live jobs by what the dormancy book says of its shape and size now.</summary>
    private void File(Bucket bucket)
    {
        var now = bucket.Volatile || !_dormancy.Covers(bucket.Shape, bucket.Gpus, out var quiet) ? BucketClass.Awake
            : quiet ? BucketClass.Quiet : BucketClass.Dormant;
        if (now == bucket.Class || bucket.Items.AliveCount == 0)
        {
            return;
        }
        var tenant = Tenants[bucket.Tenant];
        _ = bucket.Class switch
        {
            BucketClass.Awake => tenant.Awake.Remove(bucket),
            BucketClass.Dormant => tenant.Dormant.Remove(bucket),
            _ => true,
        };
        bucket.Class = now;
        _ = now switch
        {
            BucketClass.Awake => tenant.Awake.Add(bucket),
            BucketClass.Dormant => tenant.Dormant.Add(bucket),
            _ => true,
        };
    }
}
