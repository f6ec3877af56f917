using Serai.Core.Jobs;
using Serai.Scheduling.Backfill;
using Serai.Scheduling.Envelope;
using Serai.Scheduling.Incremental;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Scores;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// One scheduling cycle, in phases: (1) envelope: throttle or preempt where a site is over its limit; (2) order the
/// queue (queue-order plugin); (3) for each job: eligibility, permanent filters, deferral plugin, state filters, scores,
/// reserve nodes (tentatively, in the state's journal), else the preemption plugin, else wait with a reservation for
/// backfill. Plugins read the cycle through <see cref="ISchedulingView"/> and keep scratch in <see cref="CycleState"/>.
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
    private readonly CycleState _scratch;
    private readonly Dictionary<(JobShape, int), (int[] Pools, Reason Reason)> _permanent = [];
    private readonly ScoreCombiner _combiner;
    private readonly SchedulerProfile _profile;
    private readonly List<int> _candidates = [];
    private JobId? _blockedHead;
    private PendingJob? _notDeferred;
    private int _placed, _preempted, _throttled, _deferred, _rejected, _considered;

    private readonly JobFactsCache _factsCache;
    private readonly Func<JobSpec, JobFacts> _computeFacts;
    private readonly DormancyBook? _dormancy;

    public SchedulingCycle(CycleContext context, PluginSet plugins, JobFactsCache factsCache, ICycleObserver? observer, bool explainWaits,
        DormancyBook? dormancy = null, LastingState? lasting = null)
    {
        _scratch = new CycleState(lasting);
        _dormancy = dormancy;
        _factsCache = factsCache;
        _computeFacts = ComputeFacts;
        _context = context;
        _plugins = plugins;
        _observer = observer;
        _explainWaits = explainWaits;
        _profile = plugins.Profile;
        _combiner = new ScoreCombiner(plugins.WeightedScores, context.Hub.Pools.Length);
    }

    public CycleResult Run(IReadOnlyList<PendingJob> queue)
    {
        var state = _context.State;
        state.BeginTentative();
        try
        {
            _dormancy?.BeginCycle(_context, _plugins);
            EnvelopeController.Control(_context, _profile.ThrottleFloor, _decisions, ForgetFailures);
            if (_decisions.Count > 0)
            {
                _dormancy?.Changed(); // a throttle frees power: what was dormant may fit
            }
            foreach (var pending in _plugins.QueueOrder.Order(_context, queue))
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
            _dormancy?.EndCycle(_context);
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
        if (job.AiSystem >= 0 && !_context.State.AiSystems[job.AiSystem].MayRun)
        {
            Wait(job, new Reason(ReasonCode.HighRiskUnapproved, "ai-registry", Index: job.AiSystem));
            return;
        }
        var facts = Facts(job);
        var pools = facts.Pools;
        if (pools.Length == 0)
        {
            Reject(job, facts.PermanentReason);
            return;
        }
        if (_plugins.Deferral is { } deferral)
        {
            if (deferral.TryDefer(_context, pending, pools, _profile.Deferral!, _scratch) is { } defer)
            {
                _decisions.Add(defer);
                _deferred++;
                return;
            }
            _notDeferred = pending;
        }
        if (_memo.TryGet(facts.Shape, job, EndUnix(job), out var remembered))
        {
            Blocked(job, facts.Shape, remembered with { Need = job.Gpus }, memoise: false, pools, fromMemo: true);
            return;
        }
        if (TryPlace(job, pools, out var reason))
        {
            return;
        }
        if (_plugins.Preemption is { } preemption && reason.Code is ReasonCode.NoCapacity or ReasonCode.BlockedByReservation && TryPreempt(preemption, job, pools))
        {
            return;
        }
        Blocked(job, facts.Shape, reason, memoise: reason.Code != ReasonCode.BlockedByReservation, pools);
    }

    /// <summary>When the job would end if it started now, by its estimate (never, without one).</summary>
    private long EndUnix(JobSpec job) => EndUnix(job.EstimatedSeconds);

    /// <summary>When a job running <paramref name="estimatedSeconds"/> would end if it started now (never, without an estimate).</summary>
    private long EndUnix(long? estimatedSeconds) => estimatedSeconds is { } s ? _context.NowUnix + s : long.MaxValue;

    internal bool IsWellFormed(JobSpec job)
    {
        var hub = _context.Hub;
        if (job.Tenant < 0 || job.Tenant >= hub.Tenants.Length || job.Gpus <= 0 || job.GpuMilli is < 0 or > Gpu.Milli || (job.SharesGpu && job.Gpus != 1)
            || job.AiSystem >= _context.State.AiSystems.Count || job.Accelerator >= hub.Accelerators.Length)
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

    /// <summary>What never changes about the job on this hub (cached across cycles).</summary>
    internal JobFacts Facts(JobSpec job) => _factsCache.Get(_context.Hub, job, _computeFacts);

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
        var closest = FilterRunner.Closest(_context, job, _context.AllPools, _plugins.PermanentFilters, pools, preferMoreHave: false);
        return _permanent[key] = ([.. pools], closest);
    }

    /// <summary>Something was released that the dormancy book does not follow (the envelope acted): what did not fit before may fit now.</summary>
    private void ForgetFailures()
    {
        _dormancy?.Changed();
        ForgetMemos();
    }

    /// <summary>Drops this cycle's "did not fit" memos, the scheduler's and the plugins'.</summary>
    private void ForgetMemos()
    {
        _memo.Clear();
        _scratch.Released();
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
