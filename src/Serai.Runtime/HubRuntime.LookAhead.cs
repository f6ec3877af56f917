using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;
using Serai.Runtime.LookAhead;
using Serai.Scheduling;

namespace Serai.Runtime;

/// <summary>
/// The bounded look-ahead of pools whose site queues work itself (Slurm): after a cycle, the jobs the scheduler would
/// place on such a pool once its GPUs free are handed to the site now, up to <see cref="RuntimeOptions.LookAheadGpus"/>
/// GPUs per pool, and wait in the site's queue. They hold no GPUs in the hub state (never counted as running, no usage)
/// until Serai's view has free GPUs for them on their pool, at the end of an instant and before the next cycle: that is
/// when the site starts them. docs/lookahead.md says how this keeps each invariant.
/// </summary>
public sealed partial class HubRuntime
{
    private readonly Dictionary<int, AheadClaim> _claims = [];
    private int[]? _lookAhead;
    private int[] _claimedGpus = [];
    private long _claimSerial;

    /// <summary>Jobs queued ahead at their sites, by slot.</summary>
    public IReadOnlyDictionary<int, AheadClaim> Claims => _claims;

    /// <summary>GPUs of a pool's queued-ahead jobs (never more than its look-ahead bound).</summary>
    public int ClaimedGpus(int pool) => _lookAhead is null ? 0 : _claimedGpus[pool];

    /// <summary>The pool's look-ahead bound in GPUs; 0 when off.</summary>
    public int LookAheadGpus(int pool) => _lookAhead?[pool] ?? 0;

    /// <summary>The job's claim, when it is queued ahead at a site.</summary>
    public AheadClaim? ClaimOf(JobId job) => Jobs.TryGetSlot(job, out var slot) && _claims.TryGetValue(slot, out var c) ? c : null;

    private void InitLookAhead(RuntimeOptions options)
    {
        if (options.LookAheadGpus is { } bounds && bounds.Any(b => b > 0))
        {
            _lookAhead = [.. Enumerable.Range(0, Hub.Pools.Length).Select(p => p < bounds.Count ? Math.Max(0, bounds[p]) : 0)];
            _claimedGpus = new int[Hub.Pools.Length];
        }
    }

    private bool IsClaim(int slot, int attempt, out AheadClaim claim) =>
        _claims.TryGetValue(slot, out claim!) && claim.Attempt == attempt;

    /// <summary>The site took a queued-ahead job (a Slurm job id): recorded with the claim, so a restart can ask the site by id too.</summary>
    private void OnClaimAccepted(AheadClaim claim, string? handle)
    {
        Counters.Events++;
        if (Journaling && handle is not null)
        {
            var pool = Hub.Pools[claim.Pool];
            _batch.Transitions.Add(Move(claim.Slot, JobPhase.Pending, "queue-ahead", "QueuedAhead", $"{claim.Reason} (site job {handle})") with
            {
                Attempt = claim.Attempt,
                Site = Hub.Sites[pool.Site].Name,
                Pool = pool.Name,
                Handle = handle,
            });
            Commit();
        }
        claim.Handle = handle;
    }

    /// <summary>After a cycle: withdraws claims an emergency needs, then queues ahead what the bounds and envelopes allow.</summary>
    private void LookAheadPass(long t)
    {
        if (_lookAhead is null)
        {
            return;
        }
        var waiting = new List<PendingJob>();
        foreach (var pending in Offered())
        {
            if (Jobs.TryGetSlot(pending.Id, out var slot) && Jobs.Phase[slot] == JobPhase.Pending && Jobs.NotBeforeUnix[slot] == 0 && !_claims.ContainsKey(slot))
            {
                waiting.Add(pending);
            }
        }
        if (WithdrawForEmergencies(waiting))
        {
            return; // nothing goes ahead while an emergency waits for a place
        }
        var open = OpenPools();
        if (waiting.Count == 0 || open.Count == 0)
        {
            return;
        }
        var headroom = SiteHeadroom(t);
        var picks = Project(waiting, open, headroom, t);
        if (picks.Count > 0)
        {
            QueueAhead(picks, t);
        }
    }

    /// <summary>Pools with a look-ahead bound not yet reached, open to new work.</summary>
    private List<int> OpenPools()
    {
        var open = new List<int>();
        for (var p = 0; p < _lookAhead!.Length; p++)
        {
            if (_lookAhead[p] > _claimedGpus[p] && !State.Pools[p].ClosedToNewWork && !State.Override(Hub.Pools[p].Site).Down && !State.IsUnreachable(Hub.Pools[p].Site))
            {
                open.Add(p);
            }
        }
        return open;
    }

    /// <summary>
    /// Watts each site may still promise to queued-ahead jobs: its IT limit now, less what runs and what is already
    /// claimed; none while the envelope binds there (any job throttled).
    /// </summary>
    private double[] SiteHeadroom(long t)
    {
        var headroom = new double[Hub.Sites.Length];
        for (var s = 0; s < headroom.Length; s++)
        {
            headroom[s] = State.ThrottledCount(s) > 0 ? 0 : State.Conditions(s, t).ItLimitWatts - State.SiteItWatts(s);
        }
        foreach (var claim in _claims.Values)
        {
            headroom[Hub.Pools[claim.Pool].Site] -= claim.Watts;
        }
        return headroom;
    }

    /// <summary>
    /// The scheduler's will-run-when answer: on the state with the open pools' running jobs taken off (put back after),
    /// which waiting jobs it would place there, in its own order; the first that fit the bounds and headroom are picked.
    /// </summary>
    private List<(int Slot, Decision Decision, double Watts)> Project(List<PendingJob> waiting, List<int> open, double[] headroom, long t)
    {
        var picks = new List<(int, Decision, double)>();
        var room = new int[_lookAhead!.Length];
        foreach (var p in open)
        {
            room[p] = _lookAhead[p] - _claimedGpus[p];
        }
        // the scheduler opens the state's own tentative journal, so the running jobs taken off are put back by hand
        var takenOff = new List<RunningJob>();
        try
        {
            foreach (var p in open)
            {
                foreach (var id in HoldersOf(p))
                {
                    takenOff.Add(State.Release(id)!);
                }
            }
            var result = (Options.LookAheadPolicy ?? _policy).Schedule(State, waiting, t);
            foreach (var d in result.Decisions)
            {
                if (d.Kind != DecisionKind.Place || d.Placement is not { } placement || room[placement.Pool] <= 0
                    || !Jobs.TryGetSlot(d.Job, out var slot) || !Claimable(Jobs.Spec[slot], placement) || placement.Gpus > room[placement.Pool])
                {
                    continue;
                }
                var pool = Hub.Pools[placement.Pool];
                var watts = placement.Gpus * pool.Accelerator.TdpWatts * d.PowerFraction;
                if (watts > headroom[pool.Site])
                {
                    continue;
                }
                headroom[pool.Site] -= watts;
                room[placement.Pool] -= placement.Gpus;
                picks.Add((slot, d, watts));
            }
        }
        finally
        {
            foreach (var job in takenOff)
            {
                State.Start(job);
            }
        }
        return picks;
    }

    /// <summary>Whole GPUs on one node, or whole nodes: shapes whose GPUs Serai can find again when the site starts them.</summary>
    private bool Claimable(JobSpec spec, Placement placement)
    {
        if (spec.GpuMilli > 0 || placement.Nodes.Length == 0)
        {
            return false;
        }
        var all = State.Pools[placement.Pool].AllGpusMask;
        return placement.Nodes.Length == 1 || placement.GpuMasks.All(m => m == all);
    }

    private List<JobId> HoldersOf(int pool)
    {
        var holders = new List<JobId>();
        for (var n = 0; n < Hub.Pools[pool].Nodes; n++)
        {
            foreach (var id in State.Pools[pool].JobsOn(n))
            {
                if (!holders.Contains(id))
                {
                    holders.Add(id);
                }
            }
        }
        return holders;
    }

    private void QueueAhead(List<(int Slot, Decision Decision, double Watts)> picks, long t)
    {
        var behind = new int[Hub.Pools.Length];
        foreach (var p in picks.Select(x => x.Decision.Placement!.Pool).Distinct())
        {
            behind[p] = HoldersOf(p).Count + _claims.Values.Count(c => c.Pool == p);
        }
        var texts = new string[picks.Count];
        for (var i = 0; i < picks.Count; i++)
        {
            var pool = Hub.Pools[picks[i].Decision.Placement!.Pool];
            texts[i] = $"queued at site {Hub.Sites[pool.Site].Name} behind {behind[pool.Index]} job{(behind[pool.Index] == 1 ? "" : "s")} on pool {pool.Name}: "
                + "handed to the site's queue ahead of GPUs freeing; it runs, and counts as running, once the site starts it";
            behind[pool.Index]++;
        }
        if (Journaling)
        {
            for (var i = 0; i < picks.Count; i++)
            {
                var (slot, d, _) = picks[i];
                var pool = Hub.Pools[d.Placement!.Pool];
                _batch.Transitions.Add(Move(slot, JobPhase.Pending, "queue-ahead", "QueuedAhead", texts[i]) with
                {
                    Attempt = Jobs.Attempt[slot] + 1,
                    Site = Hub.Sites[pool.Site].Name,
                    Pool = pool.Name,
                });
            }
            if (!TryJournal())
            {
                return; // tried again at a later cycle
            }
        }
        for (var i = 0; i < picks.Count; i++)
        {
            var (slot, d, watts) = picks[i];
            var placement = d.Placement!;
            Jobs.Attempt[slot]++;
            var claim = new AheadClaim(slot, placement.Pool, Jobs.Attempt[slot], placement, d.PowerFraction, watts, t, _claimSerial++) { Reason = texts[i] };
            _claims[slot] = claim;
            _claimedGpus[placement.Pool] += claim.Gpus;
            _waits?.Remove(d.Job);
            Counters.QueuedAhead++;
            _effects.Dispatch(new JobDispatch(slot, claim.Attempt, new RunningJob(Jobs.Spec[slot], placement, t, d.PowerFraction)) { QueuedAhead = true });
        }
    }

    /// <summary>
    /// An emergency waits, or was just placed, where lower jobs are queued ahead: those claims go (cancelled at the site,
    /// where they never started) and their jobs are offered again once the site confirms. True while an emergency waits.
    /// </summary>
    private bool WithdrawForEmergencies(List<PendingJob> waiting)
    {
        var waits = waiting.Any(p => p.Spec.Priority == PriorityClass.Emergency);
        var pools = new HashSet<int>();
        foreach (var slot in _placedNow)
        {
            if (Jobs.Spec[slot].Priority == PriorityClass.Emergency && Jobs.Phase[slot].HoldsGpus())
            {
                pools.Add(Jobs.Pool[slot]);
            }
        }
        if (!waits && pools.Count == 0)
        {
            return false;
        }
        foreach (var claim in _claims.Values.OrderBy(c => c.Serial).ToList())
        {
            if (!claim.Withdrawing && Jobs.Spec[claim.Slot].Priority < PriorityClass.Emergency && (waits || pools.Contains(claim.Pool)))
            {
                Withdraw(claim, "an emergency job needs its place");
            }
        }
        return waits;
    }

    /// <summary>Cancels a claim at its site; the job waits unoffered until the site confirms, then is offered again.</summary>
    private void Withdraw(AheadClaim claim, string why)
    {
        var slot = claim.Slot;
        if (Journaling)
        {
            _batch.Transitions.Add(Move(slot, JobPhase.Pending, "withdraw", "AheadWithdrawn",
                $"taken back from the queue of site {SiteName(claim.Pool)} before it started: {why}; placed again by Serai"));
            if (!TryJournal())
            {
                return;
            }
        }
        claim.Withdrawing = true;
        Counters.AheadWithdrawn++;
        if (_effects.Stop(new JobStop(slot, Jobs.Spec[slot].Id, claim.Attempt, claim.Pool, StopCause.Preempted)))
        {
            DropClaim(claim);
        }
    }

    private void DropClaim(AheadClaim claim)
    {
        _claims.Remove(claim.Slot);
        _claimedGpus[claim.Pool] -= claim.Gpus;
        _trigger.MarkDirty();
    }

    private string SiteName(int pool) => Hub.Sites[Hub.Pools[pool].Site].Name;

    /// <summary>
    /// At the end of an instant, before the cycle: claims whose pool has free GPUs in Serai's view take them, in the order
    /// they were queued (the site starts them there now). From here they hold GPUs and book usage like any running job.
    /// </summary>
    private void SeatClaims(long t)
    {
        if (_claims.Count == 0)
        {
            return;
        }
        var seated = new List<(AheadClaim Claim, Placement Placement)>();
        if (Journaling)
        {
            State.BeginTentative();
        }
        foreach (var claim in _claims.Values.Where(c => !c.Withdrawing).OrderBy(c => c.Serial).ToList())
        {
            if (FreeFor(claim) is { } placement && !_gate.Blocks(placement))
            {
                State.Start(new RunningJob(Jobs.Spec[claim.Slot], placement, t, claim.PowerFraction));
                seated.Add((claim, placement));
            }
        }
        if (seated.Count == 0)
        {
            if (Journaling)
            {
                State.Rollback();
            }
            return;
        }
        if (Journaling)
        {
            foreach (var (claim, placement) in seated)
            {
                var slot = claim.Slot;
                var pool = Hub.Pools[claim.Pool];
                var text = $"started by site {SiteName(claim.Pool)} from its queue (queued ahead since {claim.SinceUnix})";
                _batch.Transitions.Add(Move(slot, JobPhase.Admitted, "place", "AheadStarted", text) with
                {
                    Attempt = claim.Attempt,
                    Placement = placement,
                    Site = Hub.Sites[pool.Site].Name,
                    Pool = pool.Name,
                    PowerFraction = claim.PowerFraction,
                });
                _batch.Transitions.Add(Move(slot, JobPhase.Starting, "dispatch", "Dispatch", $"job {Jobs.Spec[slot].Id} attempt {claim.Attempt} already at its site") with { From = JobPhase.Admitted });
                _batch.Transitions.Add(Move(slot, JobPhase.Running, "start", "Started", $"job {Jobs.Spec[slot].Id} attempt {claim.Attempt} is running") with { From = JobPhase.Starting, Handle = claim.Handle });
            }
            if (!TryJournal())
            {
                State.Rollback();
                return;
            }
            State.CommitTentative();
        }
        foreach (var (claim, placement) in seated)
        {
            var slot = claim.Slot;
            DropClaim(claim);
            SetPhase(slot, JobPhase.Admitted);
            _queueChanged = true;
            Counters.Placements++;
            Jobs.Pool[slot] = (short)claim.Pool;
            Jobs.Placement[slot] = placement;
            if (Jobs.FirstStartUnix[slot] < 0)
            {
                Jobs.FirstStartUnix[slot] = t;
            }
            Jobs.LastStartUnix[slot] = t;
            Usage.Open(slot, State.Running[Jobs.Spec[slot].Id], t);
            _observer?.OnJobStarted(slot, t);
            SetPhase(slot, JobPhase.Starting);
            SetPhase(slot, JobPhase.Running);
        }
    }

    /// <summary>Free GPUs of the claim's shape on its pool in Serai's view; null when there are none.</summary>
    private Placement? FreeFor(AheadClaim claim)
    {
        var pool = State.Pools[claim.Pool];
        var shape = claim.Shape;
        if (shape.Nodes.Length == 1)
        {
            var node = pool.FindNode(shape.Gpus, n => pool.IsDown(n) || pool.IsClosed(n));
            return node < 0 ? null : new Placement(claim.Pool, [node], [pool.PickGpus(node, shape.Gpus)]);
        }
        var nodes = pool.FindWholeNodes(shape.Nodes.Length, n => pool.IsDown(n) || pool.IsClosed(n));
        return nodes is null ? null : new Placement(claim.Pool, nodes, [.. nodes.Select(_ => pool.AllGpusMask)]);
    }

    /// <summary>
    /// A claim's attempt ended at its site before Serai seated it: given back (Slurm will never start it) → offered
    /// again; cancelled there → cancelled; ran and ended between two polls → seated now if its GPUs show free (then ended
    /// as any running job), else ended without usage (it ran less than a poll interval); lost → failed.
    /// </summary>
    private void OnClaimEnded(AheadClaim claim, JobEnd end)
    {
        var slot = claim.Slot;
        var job = Jobs.Spec[slot].Id;
        if (claim.Withdrawing)
        {
            OnClaimStopped(claim);
            return;
        }
        if (end.Kind is EndKind.Exited or EndKind.TimedOut)
        {
            SeatClaims(NowUnix);
            if (Jobs.Phase[slot].HoldsGpus())
            {
                OnEnded(job, claim.Attempt, end);
                return;
            }
        }
        var to = end.Kind switch
        {
            EndKind.NodeFailure => JobPhase.Pending,
            EndKind.CancelledAtSite => JobPhase.Cancelled,
            EndKind.TimedOut => JobPhase.TimedOut,
            EndKind.Exited when end.ExitCode == 0 => JobPhase.Succeeded,
            _ => JobPhase.Failed,
        };
        Counters.Events++;
        if (Journaling)
        {
            _batch.Transitions.Add(Move(slot, to, to == JobPhase.Pending ? "withdraw" : "end", end.Kind.ToString(), end.Reason) with { ExitCode = end.ExitCode });
            Commit();
        }
        DropClaim(claim);
        if (to != JobPhase.Pending)
        {
            SetPhase(slot, to);
            _queueChanged = true;
            Counters.Completions++;
        }
    }

    /// <summary>The site confirmed a withdrawn (or superseded) claim gone: the job is offered to the scheduler again.</summary>
    private void OnClaimStopped(AheadClaim claim)
    {
        Counters.Events++;
        DropClaim(claim);
    }

    /// <summary>A claim whose dispatch the site refused: the job fails with the reason, as a placed job would.</summary>
    private void OnClaimDispatchFailed(AheadClaim claim, string reason)
    {
        var slot = claim.Slot;
        Counters.Events++;
        if (Journaling)
        {
            _batch.Transitions.Add(Move(slot, JobPhase.Failed, "dispatch-failed", "DispatchFailed", reason));
            Commit();
        }
        DropClaim(claim);
        SetPhase(slot, JobPhase.Failed);
        _queueChanged = true;
        Counters.DispatchFailures++;
    }

    /// <summary>A cancelled job was queued ahead: it is cancelled at its site too (it never started there as far as Serai knows).</summary>
    private void CancelClaim(int slot)
    {
        if (_claims.TryGetValue(slot, out var claim))
        {
            DropClaim(claim);
            _effects.Stop(new JobStop(slot, Jobs.Spec[slot].Id, claim.Attempt, claim.Pool, StopCause.Cancelled));
        }
    }

    /// <summary>
    /// After a restart: a pending job whose attempt the journal recorded as queued ahead and whose site still holds it
    /// (found by name and comment) is a claim again, exactly once; <paramref name="shape"/> gives its node count and GPUs.
    /// </summary>
    public bool RestoreClaim(JobId job, int attempt, int pool, Placement shape, string? handle)
    {
        if (_lookAhead is null || !Jobs.TryGetSlot(job, out var slot) || Jobs.Phase[slot] != JobPhase.Pending || _claims.ContainsKey(slot))
        {
            return false;
        }
        var spec = Jobs.Spec[slot];
        var watts = shape.Gpus * Hub.Pools[pool].Accelerator.TdpWatts * spec.PowerFraction;
        Jobs.Attempt[slot] = (ushort)attempt;
        _claims[slot] = new AheadClaim(slot, pool, attempt, shape, spec.PowerFraction, watts, NowUnix, _claimSerial++)
        {
            Handle = handle,
            Reason = $"queued at site {SiteName(pool)} on pool {Hub.Pools[pool].Name} (found there again after a restart); it runs once the site starts it",
        };
        _claimedGpus[pool] += shape.Gpus;
        _trigger.MarkDirty();
        return true;
    }
}
