using Serai.Core.Jobs;
using Serai.Scheduling.Backfill;
using Serai.Scheduling.Deferral;
using Serai.Scheduling.Envelope;
using Serai.Scheduling.Queue;
using Serai.Scheduling.Scores;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// One scheduling cycle, in phases: (1) envelope: throttle or preempt where a site is over its limit; (2) order the
/// queue; (3) for each job: eligibility, permanent filters, deferral, state filters, score, reserve nodes
/// (tentatively, in the state's journal), else preempt, else wait with a reservation for backfill.
/// </summary>
internal sealed partial class SchedulingCycle
{
    private readonly CycleContext _context;
    private readonly PluginSet _plugins;
    private readonly ICycleObserver? _observer;
    private readonly bool _explainWaits;
    private readonly List<Decision> _decisions = [];
    private readonly List<Reservation> _reservations = [];
    private readonly ReservedNodes _reservedNodes = new();
    private readonly List<(JobSpec Job, int[] Pools, int DecisionIndex)> _pendingReservations = [];
    private readonly FailureMemo _memo = new();
    private readonly Preemption.PreemptionMemo _preemptionMemo = new();
    private readonly Dictionary<(JobShape, int), (int[] Pools, Reason Reason)> _permanent = [];
    private readonly ScoreCombiner _combiner;
    private readonly DeferralPlanner _deferral;
    private readonly List<int> _candidates = [];
    private JobId? _blockedHead;
    private int _placed, _preempted, _throttled, _deferred, _rejected, _considered;

    private readonly JobFactsCache _factsCache;
    private readonly Func<JobSpec, JobFacts> _computeFacts;

    public SchedulingCycle(CycleContext context, PluginSet plugins, JobFactsCache factsCache, ICycleObserver? observer, bool explainWaits)
    {
        _factsCache = factsCache;
        _computeFacts = ComputeFacts;
        _context = context;
        _plugins = plugins;
        _observer = observer;
        _explainWaits = explainWaits;
        _combiner = new ScoreCombiner(plugins.Scores, context.Hub.Pools.Length);
        _deferral = new DeferralPlanner(context);
    }

    public CycleResult Run(IReadOnlyList<PendingJob> queue)
    {
        var state = _context.State;
        state.BeginTentative();
        try
        {
            if (_context.Profile.EnvelopeControl)
            {
                EnvelopeController.Control(_context, _decisions, ForgetFailures);
            }
            foreach (var pending in QueueOrders.Order(_context, queue))
            {
                _considered++;
                _observer?.JobStarting(pending.Id);
                Decide(pending);
                _observer?.JobDecided(pending.Id);
            }
            if (_explainWaits)
            {
                PlanPendingReservations();
            }
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
        return new CycleResult(_decisions, _considered, _placed, _preempted, _throttled, _deferred, _rejected);
    }

    private void Decide(PendingJob pending)
    {
        var job = pending.Spec;
        if (pending.NotBeforeUnix > _context.NowUnix)
        {
            Wait(job, new Reason(ReasonCode.NotYetEligible, "deferral", Time: pending.NotBeforeUnix));
            return;
        }
        if (_blockedHead is { } head)
        {
            Wait(job, new Reason(ReasonCode.BehindHead, "queue-order", Other: head));
            return;
        }
        if (!IsWellFormed(job))
        {
            Reject(job, new Reason(ReasonCode.UnknownReference, "admission"));
            return;
        }
        var tenant = _context.Hub.Tenants[job.Tenant];
        if (!tenant.MayUse(job.Priority))
        {
            Reject(job, new Reason(ReasonCode.PriorityNotAllowed, "admission", Index: job.Tenant));
            return;
        }
        if (job.AiSystem >= 0 && !_context.Hub.AiSystems[job.AiSystem].MayRun)
        {
            Wait(job, new Reason(ReasonCode.HighRiskUnapproved, "ai-registry", Index: job.AiSystem));
            return;
        }
        var facts = _factsCache.Get(_context.Hub, job, _computeFacts);
        var pools = facts.Pools;
        if (pools.Length == 0)
        {
            Reject(job, facts.PermanentReason);
            return;
        }
        if (_context.Profile.Deferral && _deferral.TryDefer(pending, pools) is { } defer)
        {
            _decisions.Add(defer);
            _deferred++;
            return;
        }
        if (_memo.TryGet(facts.Shape, job, out var remembered))
        {
            Blocked(job, facts.Shape, remembered with { Need = job.Gpus }, memoise: false, pools);
            return;
        }
        if (TryPlace(job, pools, out var reason))
        {
            return;
        }
        if (_context.Profile.Preemption && reason.Code is ReasonCode.NoCapacity or ReasonCode.BlockedByReservation && TryPreempt(job, pools))
        {
            return;
        }
        Blocked(job, facts.Shape, reason, memoise: reason.Code != ReasonCode.BlockedByReservation, pools);
    }

    private bool IsWellFormed(JobSpec job)
    {
        var hub = _context.Hub;
        if (job.Tenant < 0 || job.Tenant >= hub.Tenants.Length || job.Gpus <= 0
            || job.AiSystem >= hub.AiSystems.Length || job.Accelerator >= hub.Accelerators.Length)
        {
            return false;
        }
        foreach (var d in job.Datasets)
        {
            if (d < 0 || d >= hub.Datasets.Length)
            {
                return false;
            }
        }
        return true;
    }

    private JobFacts ComputeFacts(JobSpec job)
    {
        var (pools, reason) = PermanentCandidates(job);
        return new JobFacts(new JobShape(job), pools, reason);
    }

    private (int[] Pools, Reason Reason) PermanentCandidates(JobSpec job)
    {
        // Permanent filters ignore class, power and AI system: one entry serves all jobs that differ only there.
        var key = (JobShape.ForPermanentFilters(job), job.Gpus);
        if (_permanent.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var pools = new List<int>();
        Reason best = default;
        var furthest = -1;
        for (var p = 0; p < _context.Hub.Pools.Length; p++)
        {
            var passed = 0;
            Reason? failure = null;
            foreach (var filter in _plugins.Permanent)
            {
                failure = filter.Filter(_context, job, p);
                if (failure is not null)
                {
                    break;
                }
                passed++;
            }
            if (failure is { } f)
            {
                if (passed > furthest)
                {
                    (furthest, best) = (passed, f);
                }
            }
            else
            {
                pools.Add(p);
            }
        }
        return _permanent[key] = ([.. pools], best);
    }

    /// <summary>Something was released: what did not fit before may fit now.</summary>
    private void ForgetFailures()
    {
        _memo.Clear();
        _preemptionMemo.Clear();
    }

    private void Wait(JobSpec job, Reason reason)
    {
        if (_explainWaits)
        {
            _decisions.Add(Decision.Wait(job.Id, reason));
        }
    }

    private void Reject(JobSpec job, Reason reason)
    {
        _decisions.Add(Decision.Reject(job.Id, reason));
        _rejected++;
    }
}
