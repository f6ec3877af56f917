using Serai.Core.Jobs;
using Serai.Scheduling.Envelope;
using Serai.Scheduling.Incremental;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// The incremental cycle: the same phases and the same <see cref="Decide"/> as a full cycle, over the same order, but
/// it passes over buckets of jobs whose outcome is known to be "blocked, nothing else happens": those covered by this
/// cycle's failure memo or by a dormant shape. A blocked job has no other effect once the backfill reservations are
/// taken (or there is no backfill) and outside strict order, so only then are buckets passed over. Whatever could
/// make a dormant shape fit during the cycle (a release, a first victim) ends the attempt: the caller runs a full
/// cycle instead.
/// </summary>
internal sealed partial class SchedulingCycle
{
    /// <summary>The incremental cycle over <paramref name="index"/>; null when a full cycle must decide instead.</summary>
    public CycleResult? RunIncremental(QueueIndex index, int queueCount, bool fairShare)
    {
        var dormancy = _dormancy ?? throw new InvalidOperationException("an incremental cycle needs its dormancy book");
        var state = _context.State;
        state.BeginTentative();
        try
        {
            dormancy.BeginCycle(_context, _plugins);
            EnvelopeController.Control(_context, _profile.ThrottleFloor, _decisions, ForgetFailures);
            if (_decisions.Count > 0)
            {
                return null; // the envelope acted: throttles and sheds free power and GPUs
            }
            var serial = dormancy.Serial;
            var order = new IncrementalOrder(index, _context, fairShare, this);
            order.Start(SkipAllowed);
            while (order.Next() is { } entry)
            {
                LookedAt++;
                _observer?.JobStarting(entry.Job.Id);
                Decide(entry.Job);
                _observer?.JobDecided(entry.Job.Id);
                if (dormancy.Serial != serial)
                {
                    return null;
                }
                if (_blockedHead is not null)
                {
                    break; // strict order: every later job waits behind the head
                }
                order.Decided(SkipAllowed);
            }
            dormancy.EndCycle(_context);
        }
        finally
        {
            state.Rollback();
        }
        foreach (var d in _decisions)
        {
            _preempted += d.Kind == DecisionKind.Preempt ? 1 : 0;
            _throttled += d.Kind == DecisionKind.Throttle ? 1 : 0;
        }
        return new CycleResult(_decisions, queueCount, _placed, _preempted, _throttled, _deferred, _rejected);
    }

    /// <summary>Jobs the incremental cycle decided (the others it passed over).</summary>
    public int LookedAt { get; private set; }

    /// <summary>Whether a blocked job has no effect beyond its own wait: no strict order, and no reservation left to take.</summary>
    private bool SkipAllowed => !_profile.StrictOrder
        && (!_profile.Backfill || _reservations.Count + _pendingReservations.Count >= _profile.ReservationDepth);

    /// <summary>Whether every job of the bucket is blocked now by this cycle's memo or a dormant shape.</summary>
    internal bool Skippable(Bucket bucket) =>
        !bucket.Volatile && (_memo.Covers(bucket.Shape, bucket.Gpus) || _dormancy!.Covers(bucket.Shape, bucket.Gpus));

    /// <summary>
    /// How the index files a pending job: its shape; volatile when it must be looked at in every cycle (the deferral
    /// plugin may defer it, or it is to be rejected); needing a full cycle when its tenant is unknown.
    /// </summary>
    internal (JobShape Shape, bool Volatile, bool NeedsFull) Classify(PendingJob pending)
    {
        var job = pending.Spec;
        if (job.Tenant < 0 || job.Tenant >= _context.Hub.Tenants.Length)
        {
            return (new JobShape(job), true, true);
        }
        if (!IsWellFormed(job) || !_context.Hub.Tenants[job.Tenant].MayUse(job.Priority))
        {
            return (new JobShape(job), true, false);
        }
        var facts = Facts(job);
        var deferrable = _plugins.Deferral is not null && job.Deferrable && !pending.WasDeferred && job.DeadlineUnix is not null
            && job.EstimatedSeconds is { } estimate && estimate >= _profile.Deferral!.MinJobSeconds;
        return (facts.Shape, deferrable || facts.Pools.Length == 0, false);
    }
}
