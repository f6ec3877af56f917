using Serai.Core.Jobs;
using Serai.Scheduling.Backfill;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Preemption;

namespace Serai.Scheduling.Cycle;

/// <summary>Placement, preemption and blocking phases of a cycle.</summary>
internal sealed partial class SchedulingCycle
{
    private bool TryPlace(JobSpec job, int[] pools, out Reason reason)
    {
        _candidates.Clear();
        reason = FilterRunner.Closest(_context, job, pools, _plugins.StateFilters, _candidates, preferMoreHave: true);
        while (_candidates.Count > 0)
        {
            var (best, score) = _combiner.Best(_context, job, _candidates);
            var pool = _candidates[best];
            var placement = SelectNodes(job, pool, honourReservations: true, out var reservation, out var blocking);
            if (placement is not null)
            {
                var why = reservation is { } r
                    ? new Reason(ReasonCode.Backfilled, "backfill", pool, Time: r.StartUnix, Other: r.Job)
                    : new Reason(ReasonCode.Placed, "score", pool, Have: score);
                Start(job, placement, why);
                return true;
            }
            reason = new Reason(ReasonCode.BlockedByReservation, "backfill", pool, Time: blocking!.StartUnix, Other: blocking.Job);
            _candidates.RemoveAt(best);
        }
        return false;
    }

    private Placement? SelectNodes(JobSpec job, int pool, bool honourReservations, out Reservation? backfilledBefore, out Reservation? blocking)
    {
        backfilledBefore = blocking = null;
        var state = _context.State.Pools[pool];
        ReservedNodes? excluded = null;
        if (honourReservations)
        {
            if (_pendingReservations.Count > 0)
            {
                PlanPendingReservations();
            }
            var end = EndUnix(job);
            foreach (var r in _reservations)
            {
                if (r.Pool != pool)
                {
                    continue;
                }
                if (end > r.StartUnix)
                {
                    (excluded ??= _reservedNodes.Reset()).Add(r.Nodes);
                    blocking ??= r;
                }
                else
                {
                    backfilledBefore ??= r;
                }
            }
        }
        var shape = GangShape.For(job, state.Pool);
        if (job.SharesGpu)
        {
            // best fit among the GPUs already shared; else a GPU of its own, best fit by node as for whole GPUs
            var (shared, mask) = state.FindSharedGpu(job.GpuMilli, excluded?.Contains);
            if (shared >= 0)
            {
                return new Placement(pool, [shared], [mask]);
            }
        }
        if (!shape.MultiNode)
        {
            var node = state.FindNode(job.Gpus, excluded?.Contains);
            return node < 0 ? null : new Placement(pool, [node], [state.PickGpus(node, job.Gpus)]);
        }
        var nodes = state.FindWholeNodes(shape.Nodes, excluded?.Contains);
        if (nodes is null)
        {
            return null;
        }
        return new Placement(pool, nodes, shape.Masks(job, state, nodes));
    }

    /// <summary>Every state filter but those on free GPUs and power, which preemption can change.</summary>
    private bool PassesAllButRoom(JobSpec job, int pool) => FilterRunner.Run(_context, job, pool, _plugins.StateFiltersButCapacity) is null;

    /// <summary>
    /// Starts the job. A start by preemption (<paramref name="byPreemption"/>: running work was released for it), or a
    /// start that may give a blocked job victims it had none of (or grows a tenant a kept victim proof watches), is
    /// followed by the dormancy book: what it may wake becomes a suspect, and the incremental order takes up again from
    /// where each tenant stands.
    /// </summary>
    private void Start(JobSpec job, Placement placement, Reason reason, bool byPreemption = false)
    {
        var followed = byPreemption || (_dormancy is not null && _plugins.Preemption is not null
            && (MayAddVictims(job, placement.Pool) || _dormancy.Watches(job.Tenant, _context.Hub.Pools[placement.Pool].Accelerator.Index)));
        _context.State.Start(new RunningJob(job, placement, _context.NowUnix, job.PowerFraction));
        _decisions.Add(Decision.Place(job.Id, placement, job.PowerFraction, reason));
        _placed++;
        if (followed)
        {
            _dormancy?.Released(_context, _plugins);
            _released = true;
        }
    }

    private bool TryPreempt(IPreemption preemption, JobSpec job, int[] pools)
    {
        List<int>? open = null;
        foreach (var p in pools)
        {
            // Cheap check first: most blocked jobs have no possible victim at all.
            if (preemption.MayFindVictims(_context, job, p) && PassesAllButRoom(job, p))
            {
                (open ??= []).Add(p);
            }
        }
        if (open is null || preemption.Plan(_context, job, open, _scratch) is not { } plan)
        {
            return false;
        }
        var state = _context.State;
        var mark = state.JournalMark;
        foreach (var victim in plan.Victims)
        {
            state.Release(victim.Id);
        }
        var fits = FilterRunner.Run(_context, job, plan.Pool, _plugins.StateFilters) is null;
        var placement = fits ? SelectNodes(job, plan.Pool, honourReservations: false, out _, out _) : null;
        if (placement is null)
        {
            state.RollbackTo(mark);
            return false;
        }
        foreach (var victim in plan.Victims)
        {
            var code = plan.VictimReason
                ?? (victim.Spec.Priority < job.Priority ? ReasonCode.PreemptedForPriority : ReasonCode.PreemptedToReclaimGuarantee);
            _decisions.Add(Decision.Preempt(victim.Id, job.Id, new Reason(code, "preemption", plan.Pool, Other: job.Id)));
        }
        ForgetMemos(); // room appeared: what did not fit may fit now
        Start(job, placement, new Reason(ReasonCode.Placed, "preemption", plan.Pool, Have: 100), byPreemption: true);
        return true;
    }

    private void Blocked(JobSpec job, JobShape shape, Reason reason, bool memoise, int[] pools, bool fromMemo = false)
    {
        if (memoise)
        {
            _memo.Add(shape, job, reason);
            _dormancy?.Blocked(_context, _plugins, shape, job, pools);
        }
        else if (reason.Code == ReasonCode.BlockedByReservation && !fromMemo)
        {
            _memo.AddReserved(shape, job, EndUnix(job), reason);
        }
        if (_profile.StrictOrder)
        {
            _blockedHead = job.Id;
        }
        else if (_profile.Backfill && _reservations.Count + _pendingReservations.Count < _profile.ReservationDepth
            && reason.Code is ReasonCode.NoCapacity or ReasonCode.BlockedByReservation
            && pools.Where(p => PassesAllButRoom(job, p)).ToArray() is { Length: > 0 } open)
        {
            // A want of room takes a reservation on the pools the job passes but for room. None (a remembered want of
            // room, since turned away on every pool by quota or a closed pool): its wait is not a want of room now.
            _pendingReservations.Add((job, open, _explainWaits ? _decisions.Count : -1));
        }
        Wait(job, reason);
    }

    /// <summary>
    /// Whether starting this job can give a later, blocked job victims it had none of: the first job on the pool of a
    /// class below some other class, or a tenant that starts borrowing the accelerator (reclaim).
    /// </summary>
    private bool MayAddVictims(JobSpec job, int pool)
    {
        var state = _context.State;
        if ((int)job.Priority < Core.Model.PriorityClasses.All.Length - 1 && state.RunningBelow(pool, job.Priority + 1) == 0)
        {
            return true;
        }
        var a = _context.Hub.Pools[pool].Accelerator.Index;
        var guaranteed = _context.Hub.Tenants[job.Tenant].GuaranteedGpus[a];
        var allocated = state.Allocated(job.Tenant, a);
        return allocated <= guaranteed && allocated + state.AllocationGrowth(job, a) > guaranteed;
    }

    /// <summary>
    /// Reservations are planned lazily: only when a later job is about to take nodes (or at the end of the cycle,
    /// to explain waits). Nothing is placed between a job's block and its reservation's planning, so the result is
    /// the same as planning at once, and most cycles, where nothing after a blocked job fits anyway, skip it.
    /// </summary>
    private void PlanPendingReservations()
    {
        foreach (var (job, pools, decisionIndex) in _pendingReservations)
        {
            if (ReservationPlanner.Plan(_context, job, pools, _scratch.Lasting<ReservationMemo>(typeof(ReservationMemo))) is { } r)
            {
                _reservations.Add(r);
                if (decisionIndex >= 0)
                {
                    _decisions[decisionIndex] = Decision.Wait(job.Id, new Reason(ReasonCode.Reserved, "backfill", r.Pool, Time: r.StartUnix));
                }
            }
        }
        _pendingReservations.Clear();
    }
}
