using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Queue;

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
/// for fifo, priority and sjf, whose global order is the merge of per-tenant orders; class, fair share, submit time
/// and id for priority-fairshare, where a tenant is keyed with its fair share when its next job comes up). Within a
/// tenant the buckets the cycle may not pass over are merged by their next job; awake buckets are in the merge from
/// the start, dormant ones join in order of their first job only while reservations are free, quiet ones only when
/// this cycle's memo gives their shape a want of room. Leaving out jobs that change nothing keeps the order of the
/// others: a tenant's key changes only when its fair share does, which its own starts do (it is keyed again after
/// each of its jobs) and a preemption of its work does. A tenant whose fair share a preemption lowered is keyed again
/// only when its next job in the full order comes up; if that job is one passed over, the tenant takes its turn in
/// the merge at that job (<see cref="_staleHead"/>) and is keyed again there. After a release, a start that may give
/// blocked jobs victims, or reservations freed again, the merge is rebuilt from where each tenant stands in the full
/// order (<see cref="Resume"/>).
/// </summary>
internal sealed class IncrementalOrder
{
    private readonly QueueIndex _index;
    private readonly CycleContext _view;
    private readonly bool _fairShare;
    private readonly SchedulingCycle _cycle;
    private readonly PriorityQueue<int, PendingJob> _tenants;
    private readonly QueueEntry?[] _head;
    private readonly PriorityQueue<Bucket, PendingJob>[] _buckets;
    private readonly IEnumerator<Bucket>?[] _dormant;
    private readonly Bucket?[] _nextDormant;

    /// <summary>
    /// Per tenant, the suspect shapes with buckets not filed awake, by the first job of those buckets, and how many have
    /// been reached.
    /// </summary>
    private readonly List<(JobShape Shape, PendingJob First)>?[] _suspects;
    private readonly int[] _suspectsJoined;
    private bool _anySuspects;
    private readonly double[] _fairShareKey;
    private readonly IComparer<PendingJob> _order;

    /// <summary>Each tenant's jobs up to this one (in its order) have had their turn in the full order.</summary>
    private readonly PendingJob?[] _from;

    /// <summary>
    /// For a tenant whose fair share a preemption changed since it was keyed: its next job in the full order, which
    /// holds its place in the merge (passed over when it is not the tenant's head, <see cref="_head"/>).
    /// </summary>
    private readonly PendingJob?[] _staleHead;

    /// <summary>The turns the merge has given (jobs decided, and passed-over jobs of re-keyed tenants), with the fair share each was keyed with.</summary>
    private readonly List<(PendingJob Job, double FairShare)> _turns = [];

    /// <summary>Per tenant, the first of <see cref="_turns"/> taken since it was last keyed.</summary>
    private readonly int[] _keyedAt;
    private static long s_merges;
    private static PendingJob[]? s_classBounds;
    private SkipMode _mode;
    private int _current = -1;
    private long _merge;

    public IncrementalOrder(QueueIndex index, CycleContext view, bool fairShare, SchedulingCycle cycle)
    {
        (_index, _view, _fairShare, _cycle, _order) = (index, view, fairShare, cycle, index.Order);
        var n = index.Tenants.Length;
        _from = new PendingJob?[n];
        _staleHead = new PendingJob?[n];
        _keyedAt = new int[n];
        _head = new QueueEntry?[n];
        _buckets = [.. Enumerable.Range(0, n).Select(_ => new PriorityQueue<Bucket, PendingJob>(index.Order))];
        _dormant = new IEnumerator<Bucket>?[n];
        _nextDormant = new Bucket?[n];
        _suspects = new List<(JobShape, PendingJob)>?[n];
        _suspectsJoined = new int[n];
        _fairShareKey = new double[n];
        _tenants = new PriorityQueue<int, PendingJob>(n, fairShare ? Comparer<PendingJob>.Create(CompareFairShare) : index.Order);
    }

    public void Start(SkipMode mode)
    {
        _mode = mode;
        Rebuild(rekey: -1, rekeyAll: true);
    }

    public QueueEntry? Next()
    {
        while (_tenants.TryDequeue(out var t, out _))
        {
            var key = _fairShareKey[t];
            if (_staleHead[t] is { } passed && !ReferenceEquals(_head[t]?.Job, passed))
            {
                // the full order reaches a job of this tenant that the cycle passes over: it keys the tenant again
                _turns.Add((passed, key));
                _from[t] = passed;
                EnqueueTenant(t, rekey: true);
                continue;
            }
            var entry = _head[t]!;
            _turns.Add((entry.Job, key));
            _from[t] = entry.Job;
            _current = t;
            return entry;
        }
        return null;
    }

    /// <summary>
    /// The job <see cref="Next"/> gave was decided. <paramref name="memoChanged"/>: the decision changed the cycle's
    /// failure memo (for the job's shape); <paramref name="mode"/>: what may be passed over from now;
    /// <paramref name="released"/>: the job started by preemption, or its start may have given blocked jobs victims.
    /// </summary>
    public void Decided(QueueEntry entry, bool memoChanged, SkipMode mode, bool released)
    {
        var t = _current;
        var bucket = _buckets[t].Dequeue();
        bucket.HeldBy = 0;
        bucket.Cursor++;
        Enqueue(t, bucket);
        if (released || mode != _mode)
        {
            var wider = !released && mode == SkipMode.Free && _mode == SkipMode.Reserving;
            _mode = mode;
            if (wider)
            {
                RekeyAll(rekey: t, rekeyAll: false); // passing over more: heads may move on
                return;
            }
            // room or victims appeared, or reservations were freed again (a pending one found no start): what was
            // passed over may count again, from where each tenant stands in the full order
            Resume(t);
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
        EnqueueTenant(t, rekey: true);
    }

    /// <summary>
    /// Rebuilds the merge after the decision of a job of tenant <paramref name="current"/> that may let jobs passed
    /// over count again: a start by preemption (room appeared, the memo is forgotten and the victims' tenants hold
    /// less), a start that may give blocked jobs victims, or reservations freed again. Each tenant's jobs that the full
    /// order has not reached yet are those after the largest turn taken since the tenant was keyed (while a tenant waits
    /// in the merge, every turn taken is below its key; the turns between two turns this merge sees are no larger than
    /// the later one, since only a tenant keyed again can bring a lower key); the merge is rebuilt from there. A tenant
    /// whose fair share changed holds its place at its next job in the full order, passed over or not.
    /// </summary>
    private void Resume(int current)
    {
        var largest = new int[_turns.Count + 1]; // largest[i]: the index of the largest turn from i on
        largest[_turns.Count] = -1;
        for (var i = _turns.Count - 1; i >= 0; i--)
        {
            largest[i] = largest[i + 1] < 0 || CompareTurns(_turns[i], _turns[largest[i + 1]]) > 0 ? i : largest[i + 1];
        }
        for (var t = 0; t < _index.Tenants.Length; t++)
        {
            if (t == current)
            {
                continue;
            }
            if (largest[_keyedAt[t]] is var m and >= 0)
            {
                var bound = BoundAfter(t, _turns[m]);
                if (_from[t] is not { } from || _order.Compare(bound, from) > 0)
                {
                    _from[t] = bound;
                }
            }
            if (_fairShare && _staleHead[t] is null && _fairShareKey[t] != _view.FairShare(t))
            {
                var queue = _index.Tenants[t].Ordered;
                var next = queue.NextAlive(_from[t] is { } from ? queue.UpperBound(from, _order) : 0);
                _staleHead[t] = next < queue.Count ? queue[next].Job : null;
            }
        }
        Rebuild(rekey: current, rekeyAll: false);
    }

    /// <summary>
    /// A point in tenant <paramref name="t"/>'s order after which its jobs come after <paramref name="turn"/> in the
    /// full order, keyed with the tenant's fair share as it was keyed.
    /// </summary>
    private PendingJob BoundAfter(int t, (PendingJob Job, double FairShare) turn)
    {
        if (!_fairShare || _fairShareKey[t] == turn.FairShare)
        {
            return turn.Job;
        }
        // the class decides, then the fair share: all the tenant's jobs of the turn's class come before or after it
        return ClassBound(turn.Job.Spec.Priority, afterAll: _fairShareKey[t] < turn.FairShare);
    }

    /// <summary>A job that comes before (or after) every job of its class in a tenant's order.</summary>
    private static PendingJob ClassBound(Core.Model.PriorityClass priority, bool afterAll)
    {
        var bounds = s_classBounds ??= [.. Enumerable.Range(0, Core.Model.PriorityClasses.All.Length)
            .SelectMany(c => new[] { Bound((Core.Model.PriorityClass)c, false), Bound((Core.Model.PriorityClass)c, true) })];
        return bounds[((int)priority * 2) + (afterAll ? 1 : 0)];

        static PendingJob Bound(Core.Model.PriorityClass priority, bool after) => new(new JobSpec
        {
            Id = new JobId(after ? long.MaxValue : long.MinValue), Tenant = 0, Gpus = 1, StackMask = 0, Priority = priority,
            SubmitUnix = after ? long.MaxValue : long.MinValue,
        });
    }

    private int CompareTurns((PendingJob Job, double FairShare) x, (PendingJob Job, double FairShare) y) =>
        _fairShare ? FairShareOrder.CompareKeys(x.Job, x.FairShare, y.Job, y.FairShare) : _order.Compare(x.Job, y.Job);

    private void Rebuild(int rekey, bool rekeyAll)
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
        CollectSuspects();
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
        RekeyAll(rekey, rekeyAll);
    }

    /// <summary>
    /// The suspect shapes with buckets filed dormant or quiet, per tenant in order of the first job of those buckets
    /// (awake ones are in the merge already). A shape is checked when the merge reaches that job; still blocked, its
    /// buckets are passed over (the state only tightens until a release or a start that gives blocked jobs victims,
    /// which rebuild the merge), else they join.
    /// </summary>
    private void CollectSuspects()
    {
        if (_anySuspects)
        {
            foreach (var list in _suspects)
            {
                list?.Clear();
            }
            Array.Clear(_suspectsJoined);
            _anySuspects = false;
        }
        if (_mode == SkipMode.None || _cycle.Suspects.Count == 0)
        {
            return; // every bucket is in the merge, or no shape is a suspect
        }
        foreach (var shape in _cycle.Suspects)
        {
            PendingJob? first = null;
            foreach (var b in _index.BucketsOf(shape))
            {
                if (b.Class != BucketClass.Awake && b.Items.AliveCount > 0 && b.Items.First.Job is var job
                    && (first is null || _order.Compare(job, first) < 0))
                {
                    first = job;
                }
            }
            if (first is not null)
            {
                (_suspects[shape.Tenant] ??= []).Add((shape, first));
                _anySuspects = true;
            }
        }
        foreach (var list in _suspects)
        {
            if (list is { Count: > 1 })
            {
                list.Sort((x, y) => _order.Compare(x.First, y.First));
            }
        }
    }

    /// <summary>Puts every tenant back in the merge; keys again <paramref name="rekey"/> (every tenant with <paramref name="rekeyAll"/>), the others keep their keys.</summary>
    private void RekeyAll(int rekey, bool rekeyAll)
    {
        _tenants.Clear();
        for (var t = 0; t < _index.Tenants.Length; t++)
        {
            EnqueueTenant(t, rekeyAll || t == rekey);
        }
    }

    /// <summary>Puts the bucket in the tenant's merge from the tenant's position, unless it is there or is to be passed over.</summary>
    private void Activate(int t, Bucket bucket, bool checkSuspects = false)
    {
        if (bucket.HeldBy == _merge || bucket.Items.AliveCount == 0 || _cycle.Skippable(bucket, _mode, checkSuspects))
        {
            return;
        }
        var from = _from[t];
        bucket.Cursor = from is null ? 0 : bucket.Items.UpperBound(from, _order);
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

    /// <summary>Puts the tenant in the merge at its next job; <paramref name="rekey"/>: with its fair share now (its key stands otherwise).</summary>
    private void EnqueueTenant(int t, bool rekey)
    {
        var head = Head(t);
        _head[t] = head;
        if (rekey)
        {
            if (_fairShare)
            {
                _fairShareKey[t] = _view.FairShare(t);
            }
            _staleHead[t] = null;
            _keyedAt[t] = _turns.Count;
        }
        if (_staleHead[t] is { } stale)
        {
            _tenants.Enqueue(t, stale);
            return;
        }
        if (head is not null)
        {
            _tenants.Enqueue(t, head.Job);
        }
    }

    private QueueEntry? Head(int t)
    {
        var heap = _buckets[t];
        var suspects = _suspects[t];
        while (true)
        {
            // Dormant buckets (while reservations are free) and those of suspect shapes join in order of their first
            // job, before any later job is handed out.
            while (true)
            {
                var any = heap.TryPeek(out _, out var min);
                if (_mode == SkipMode.Reserving && _nextDormant[t] is { } d && (!any || _order.Compare(d.Items.First.Job, min) < 0))
                {
                    AdvanceDormant(t);
                    Activate(t, d);
                }
                else if (suspects is not null && _suspectsJoined[t] < suspects.Count && suspects[_suspectsJoined[t]] is var s
                    && (!any || _order.Compare(s.First, min) < 0))
                {
                    _suspectsJoined[t]++;
                    foreach (var b in _index.BucketsOf(s.Shape))
                    {
                        if (b.Class != BucketClass.Awake)
                        {
                            Activate(t, b, checkSuspects: true); // the first checks the shape; still blocked, the rest are passed over
                        }
                    }
                }
                else
                {
                    break;
                }
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

    /// <summary>The key of <see cref="FairShareOrder"/>, with each tenant's fair share as it was keyed.</summary>
    private int CompareFairShare(PendingJob x, PendingJob y) =>
        FairShareOrder.CompareKeys(x, _fairShareKey[x.Spec.Tenant], y, _fairShareKey[y.Spec.Tenant]);
}
