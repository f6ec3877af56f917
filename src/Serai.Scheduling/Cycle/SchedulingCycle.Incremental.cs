using Serai.Core.Jobs;
using Serai.Scheduling.Deferral;
using Serai.Scheduling.Envelope;
using Serai.Scheduling.Incremental;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// The incremental cycle: the same phases and the same <see cref="Decide"/> as a full cycle, over the same order, but
/// it passes over buckets of jobs whose outcome is known to be "blocked, nothing else happens": those covered by this
/// cycle's failure memo or by a dormant shape. A blocked job has no other effect once the backfill reservations are
/// taken (or there is no backfill) and outside strict order, so only then are buckets passed over. A start by
/// preemption releases work: the memo is forgotten, the dormant shapes the release may wake become suspects, and the
/// order takes up again what may fit now (<see cref="IncrementalOrder.Decided"/>); a start that may give blocked jobs
/// victims is followed the same way, the memo kept (a full cycle keeps it too). What the book cannot follow (the
/// envelope acting) ends the attempt: the caller runs a full cycle instead.
/// </summary>
internal sealed partial class SchedulingCycle
{
    /// <summary>The incremental cycle over <paramref name="index"/>; null when a full cycle must decide instead.</summary>
    public CycleResult? RunIncremental(QueueIndex index, int queueCount, bool fairShare, IncrementalCounters counters)
    {
        List<(QueueEntry, long)>? undeferred = null;
        var dormancy = _dormancy ?? throw new InvalidOperationException("an incremental cycle needs its dormancy book");
        var state = _context.State;
        state.BeginTentative();
        try
        {
            var t0 = counters.Now();
            dormancy.BeginCycle(_context, _plugins);
            counters.Time(IncrementalPhase.Recheck, ref t0);
            EnvelopeController.Control(_context, _profile.ThrottleFloor, _decisions, ForgetFailures);
            if (_decisions.Count > 0)
            {
                Fallback = FallbackCause.Envelope;
                return null; // the envelope acted: throttles and sheds free power and GPUs
            }
            var order = new IncrementalOrder(index, _context, fairShare, this);
            order.Start(Mode);
            counters.Time(IncrementalPhase.Order, ref t0);
            while (order.Next() is { } entry)
            {
                LookedAt++;
                counters.LookedAt(entry.Bucket.Volatile);
                var memo = _memo.Version;
                _observer?.JobStarting(entry.Job.Id);
                counters.Time(IncrementalPhase.Order, ref t0);
                _notDeferred = null;
                _released = false;
                Decide(entry.Job);
                counters.Time(IncrementalPhase.Decide, ref t0);
                _observer?.JobDecided(entry.Job.Id);
                if (entry.DeferralCandidate && ReferenceEquals(_notDeferred, entry.Job))
                {
                    (undeferred ??= []).Add((entry, CarbonDeferral.UndeferredUntil(entry.Job.Spec, _context.NowUnix, _profile.Deferral!)));
                }
                if (_blockedHead is not null)
                {
                    break; // strict order: every later job waits behind the head
                }
                if (_released)
                {
                    counters.Releases++;
                }
                order.Decided(entry, _memo.Version != memo, Mode, _released);
            }
            counters.Time(IncrementalPhase.Order, ref t0);
            counters.Shapes(dormancy.Rechecked, dormancy.Woken, dormancy.Count);
            dormancy.EndCycle(_context);
            counters.Time(IncrementalPhase.End, ref t0);
        }
        finally
        {
            state.Rollback();
        }
        foreach (var (entry, until) in undeferred ?? [])
        {
            index.Undeferred(entry, until); // filed with jobs that are not deferrable until then
        }
        foreach (var d in _decisions)
        {
            _preempted += d.Kind == DecisionKind.Preempt ? 1 : 0;
            _throttled += d.Kind == DecisionKind.Throttle ? 1 : 0;
        }
        return new CycleResult(_decisions, queueCount, _placed, _preempted, _throttled, _deferred, _rejected);
    }

    /// <summary>Why <see cref="RunIncremental"/> gave up (null: it did not).</summary>
    public FallbackCause? Fallback { get; private set; }

    /// <summary>The job just decided started by preemption (running work was released) or may have given blocked jobs victims: the book followed the change.</summary>
    private bool _released;

    /// <summary>Jobs the incremental cycle decided (the others it passed over).</summary>
    public int LookedAt { get; private set; }

    /// <summary>
    /// What a blocked job does beyond its own wait: in strict order it stops the cycle; while backfill reservations
    /// are free, a want of room takes one; else nothing.
    /// </summary>
    private SkipMode Mode => _profile.StrictOrder ? SkipMode.None
        : !_profile.Backfill || _reservations.Count + _pendingReservations.Count >= _profile.ReservationDepth ? SkipMode.Free
        : SkipMode.Reserving;

    /// <summary>
    /// Whether the cycle may pass over the bucket now: every job of it would be blocked (by this cycle's memo, whose
    /// reason then stands, or by a dormant shape) with no effect beyond its wait under <paramref name="mode"/>.
    /// </summary>
    internal bool Skippable(Bucket bucket, SkipMode mode, bool checkSuspects = false)
    {
        if (mode == SkipMode.None || bucket.Volatile)
        {
            return false;
        }
        if (_memo.Covers(bucket.Shape, bucket.Gpus, out var code))
        {
            return mode == SkipMode.Free || code is not (ReasonCode.NoCapacity or ReasonCode.BlockedByReservation);
        }
        if (mode == SkipMode.Free && _memo.CoversReserved(bucket.Shape, bucket.Gpus, EndUnix(bucket.MinEstimateSeconds)))
        {
            return true; // every job of it would end after a reservation that leaves its shape no room
        }
        return _dormancy!.Covers(bucket.Shape, bucket.Gpus, out var quiet, checkSuspects ? _context : null, _plugins)
            && (mode == SkipMode.Free || quiet);
    }

    /// <summary>The dormant shapes to check when the order reaches them (<see cref="DormancyBook.Suspects"/>).</summary>
    internal IReadOnlyCollection<JobShape> Suspects => _dormancy!.Suspects;

    /// <summary>This cycle's failure memo.</summary>
    internal IEnumerable<(JobShape Shape, int Gpus, ReasonCode Code)> MemoEntries => _memo.Entries;

    /// <summary>
    /// How the index files a pending job: its shape; volatile when it must be looked at in every cycle (the deferral
    /// plugin may defer it, or it is to be rejected); needing a full cycle when its tenant is unknown.
    /// </summary>
    internal JobClass Classify(PendingJob pending)
    {
        var job = pending.Spec;
        if (job.Tenant < 0 || job.Tenant >= _context.Hub.Tenants.Length)
        {
            return new JobClass(new JobShape(job), Volatile: true, NeedsFull: true, DeferralCandidate: false);
        }
        if (!IsWellFormed(job) || !_context.Hub.Tenants[job.Tenant].MayUse(job.Priority))
        {
            return new JobClass(new JobShape(job), Volatile: true, NeedsFull: false, DeferralCandidate: false);
        }
        var facts = Facts(job);
        if (facts.Pools.Length == 0)
        {
            return new JobClass(facts.Shape, Volatile: true, NeedsFull: false, DeferralCandidate: false);
        }
        var deferrable = _plugins.Deferral is not null && job.Deferrable && !pending.WasDeferred && job.DeadlineUnix is not null
            && job.EstimatedSeconds is { } estimate && estimate >= _profile.Deferral!.MinJobSeconds;
        return new JobClass(facts.Shape, Volatile: deferrable, NeedsFull: false, DeferralCandidate: deferrable);
    }
}
