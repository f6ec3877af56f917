using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Scheduling.Cycle;
using Serai.Scheduling.Filters;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Preemption;

namespace Serai.Scheduling.Incremental;

/// <summary>
/// Kept across cycles: the shapes that cannot start until something they depend on loosens. A shape is dormant at
/// N GPUs when a job of it with N GPUs found no pool passing the state filters (pool open, quota, capacity, power)
/// and the preemption plugin could find no victim on any of its pools: either it has none to consider there, or a
/// victim search kept across cycles (<see cref="VictimBounds"/>) proves it fails until the pool changes or a tenant the
/// proof watches holds more of the accelerator (a start of such a tenant's work during a cycle counts as a change). Each of those answers is monotone in the
/// figures it reads (largest free node, wholly free nodes, most free thousandths on a shared GPU, site IT power and conditions, the tenant's GPUs, the
/// lowest class running on a pool, the accelerator's borrowers) and in the job's GPUs, so the shape stays dormant
/// for N GPUs or more until one of those figures moves the other way. At the start of each cycle the figures are
/// compared with those at the end of the last cycle (its decisions applied); shapes that touch a figure that loosened
/// become suspects, checked with the filters themselves when the cycle reaches them (still blocked then, they stay
/// blocked for the rest of the cycle, since the state only tightens until a release or a start that gives blocked jobs
/// victims, after which <see cref="Released"/> makes suspects again). A suspect is checked only on the pools something
/// loosened for: on the others, what turned it away has not loosened since, so it still does.
/// </summary>
internal sealed class DormancyBook(LastingState? lasting = null)
{
    private readonly Dictionary<JobShape, Dormant> _dormant = [];
    private readonly List<Dormant> _blocks = [];
    private readonly HashSet<JobShape> _refile = [];
    private readonly HashSet<JobShape> _suspects = [];
    private Snapshot? _snapshot;
    private readonly List<JobShape> _recheckedThisCycle = [];
    private long _serialAtStart, _epoch;
    private ulong[] _watched = [];

    /// <summary>
    /// Bumped whenever something happens during a cycle that this book cannot follow: the envelope throttles or sheds
    /// work. (A preemption, and a start that may give a blocked job victims, it follows: see <see cref="Released"/>.)
    /// </summary>
    public long Serial { get; private set; }

    /// <summary>
    /// The dormant shapes something loosened for since they fell dormant, not yet checked, and the shapes that woke
    /// since the queue index was last told. The index keeps their buckets filed as dormant (a suspect costs no
    /// refiling); the order joins them in turn and checks them then.
    /// </summary>
    public IReadOnlyCollection<JobShape> Suspects => _suspects;

    /// <summary>Dormant shapes now (for tests and counters).</summary>
    public int Count => _dormant.Count;

    /// <summary>Shapes checked again during the last cycle because something they read loosened since they fell dormant.</summary>
    public int Rechecked { get; private set; }

    /// <summary>Of those, the shapes that woke.</summary>
    public int Woken { get; private set; }

    public void Changed()
    {
        Serial++;
        _epoch++;
    }

    /// <summary>
    /// Whether a shape kept asleep by a failed victim search (dormant, or blocked in this cycle) would have its proof
    /// ended by the tenant holding more of the accelerator: a start of that tenant's work must count as a change.
    /// </summary>
    public bool Watches(int tenant, int accelerator) =>
        accelerator < _watched.Length && (_watched[accelerator] & (tenant < 64 ? 1UL << tenant : ulong.MaxValue)) != 0;

    /// <summary>Told when shapes fall dormant or wake (the queue index files their buckets accordingly).</summary>
    public IDormancyListener? Listener { get; set; }

    /// <summary>
    /// True when a job of the shape with <paramref name="gpus"/> GPUs is known to stay blocked; <paramref name="quiet"/>
    /// when, besides, a filter before capacity (pool open, quota) turns it away on every pool, so that its wait can never
    /// be a want of room that takes a backfill reservation.
    /// </summary>
    public bool Covers(JobShape shape, int gpus, out bool quiet) => Covers(shape, gpus, out quiet, null, null);

    /// <summary>
    /// As <see cref="Covers(JobShape, int, out bool)"/>; a shape that something loosened for since it fell dormant
    /// (a suspect) is checked now, on the cycle's state, when <paramref name="context"/> is given: still blocked, it is
    /// dormant again from now on (the state only tightens for the rest of the cycle); else it wakes.
    /// </summary>
    public bool Covers(JobShape shape, int gpus, out bool quiet, CycleContext? context, PluginSet? plugins)
    {
        quiet = false;
        if (!_dormant.TryGetValue(shape, out var d) || gpus < d.Job.Gpus)
        {
            return false;
        }
        if (d.Suspect)
        {
            if (context is null)
            {
                return false;
            }
            Rechecked++;
            if (Blockers(context, plugins!, d.Job, d.Pools, d.Triggered, d.Blockers) is not { } blockers)
            {
                Woken++;
                _dormant.Remove(shape);
                _refile.Add(shape); // in Suspects until refiled awake, so that a rebuilt merge still takes its buckets
                return false;
            }
            _suspects.Remove(shape);
            _dormant[shape] = d = d.CheckedAgain(blockers);
            Watch(context, d.Pools, blockers);
            _refile.Add(shape);
            _recheckedThisCycle.Add(shape);
        }
        quiet = d.Quiet;
        return true;
    }

    /// <summary>Tells the listener of the shapes that fell dormant, woke or changed since it was last told.</summary>
    private void FlushRefiles()
    {
        foreach (var shape in _refile)
        {
            Listener?.ShapeChanged(shape);
            if (!_dormant.TryGetValue(shape, out var d) || !d.Suspect)
            {
                _suspects.Remove(shape); // woken shapes are filed awake now
            }
        }
        _refile.Clear();
    }

    /// <summary>Forgets everything (another state, another hub, a cycle that did not keep this book).</summary>
    public void Clear()
    {
        ClearDormant();
        _blocks.Clear();
        _snapshot = null;
    }

    private void ClearDormant()
    {
        Array.Clear(_watched);
        _refile.Clear();
        _suspects.Clear();
        if (_dormant.Count > 0)
        {
            _dormant.Clear();
            Listener?.Cleared();
        }
    }

    /// <summary>Start of a cycle: drops what the changes since the last cycle may have woken.</summary>
    public void BeginCycle(CycleContext context, PluginSet plugins)
    {
        _blocks.Clear();
        _recheckedThisCycle.Clear();
        FlushRefiles(); // shapes checked during a cycle that then fell back
        _serialAtStart = Serial;
        Rechecked = 0;
        Woken = 0;
        var now = Snapshot.Take(context);
        if (_snapshot is null || !_snapshot.SameWorld(now))
        {
            ClearDormant();
            return;
        }
        if (_dormant.Count == 0)
        {
            return;
        }
        var loosened = now.LoosenedSince(_snapshot, plugins.Preemption is not null);
        if (loosened is null)
        {
            return;
        }
        Suspect(context, plugins, loosened);
    }

    /// <summary>
    /// The cycle released running work (a preemption), or started a job that may give a blocked job victims (a first
    /// job of a lower class on a pool, a new borrower, a tenant a kept victim proof watches), and goes on. Blocks seen
    /// before the change no longer count; the dormant shapes whose figures loosened since the last cycle's end, and those
    /// checked during this cycle on the state before the change, become suspects, checked when the rest of the cycle
    /// reaches them. Called on the state after the change: from there the state only tightens until the next such
    /// change, so a shape left dormant stays blocked (its figures are no looser than when it fell dormant).
    /// </summary>
    public void Released(CycleContext context, PluginSet plugins)
    {
        _epoch++;
        if (_dormant.Count == 0 || _snapshot is null)
        {
            return;
        }
        FlushRefiles();
        foreach (var shape in _recheckedThisCycle)
        {
            if (_dormant.TryGetValue(shape, out var d) && !d.Suspect)
            {
                _dormant[shape] = d with { Suspect = true, Triggered = AllPools }; // checked on the state before the release
                _suspects.Add(shape);
            }
        }
        _recheckedThisCycle.Clear();
        if (Snapshot.Take(context).LoosenedSince(_snapshot, plugins.Preemption is not null) is { } loosened)
        {
            Suspect(context, plugins, loosened);
        }
    }

    /// <summary>Makes suspects of the dormant shapes a loosening touches (and refiles those whose quietness it changed).</summary>
    private void Suspect(CycleContext context, PluginSet plugins, Loosened loosened)
    {
        List<(JobShape, ulong)>? suspects = null;
        foreach (var (shape, d) in _dormant)
        {
            if (d.Suspect && d.Triggered == AllPools)
            {
                continue;
            }
            if (!loosened.MayTouch(context, shape.Tenant, d))
            {
                continue; // nothing it reads loosened on any of its pools: Touches would change nothing
            }
            var quiet = d.Quiet;
            if (loosened.Touches(context, shape.Tenant, d, plugins) is var triggered and not 0)
            {
                (suspects ??= []).Add((shape, triggered)); // a suspect already adds the pools this loosening reaches
            }
            else if (quiet != d.Quiet)
            {
                _refile.Add(shape); // a filter before capacity loosened: its wait may now be a want of room
            }
        }
        FlushRefiles();
        foreach (var (shape, triggered) in suspects ?? [])
        {
            // Checked when the cycle reaches the shape, on the state then, on the pools the loosening reached: most
            // shapes that fit what a release freed find it taken by then, at the cost of a few filters.
            var d = _dormant[shape];
            _dormant[shape] = d with { Suspect = true, Triggered = d.Triggered | triggered };
            _suspects.Add(shape);
        }
    }



    /// <summary>A job that found no room: with no victim either, its shape is dormant at its GPUs from now.</summary>
    public void Blocked(CycleContext context, PluginSet plugins, JobShape shape, JobSpec job, int[] pools)
    {
        if (Blockers(context, plugins, job, pools) is { } blockers)
        {
            _blocks.Add(new Dormant(shape, job, pools, _epoch, blockers, Suspect: false, Triggered: 0));
            Watch(context, pools, blockers);
        }
    }

    /// <summary>
    /// The first filter that turns the job away on each pool, or null when some pool takes it or the preemption
    /// plugin may find a victim on one: what a later loosening must touch to wake the shape.
    /// </summary>
    private PoolBlock[]? Blockers(CycleContext context, PluginSet plugins, JobSpec job, int[] pools) =>
        Blockers(context, plugins, job, pools, AllPools, null);

    /// <summary>
    /// As <see cref="Blockers(CycleContext, PluginSet, JobSpec, int[])"/>, checking only the pools in
    /// <paramref name="triggered"/> (<see cref="PoolBit"/>); the others keep <paramref name="kept"/>: nothing they wait
    /// for has loosened since, so they still turn the job away for those reasons.
    /// </summary>
    private PoolBlock[]? Blockers(CycleContext context, PluginSet plugins, JobSpec job, int[] pools, ulong triggered, PoolBlock[]? kept)
    {
        var blockers = new PoolBlock[pools.Length];
        for (var i = 0; i < pools.Length; i++)
        {
            if (kept is not null && (triggered & PoolBit(i)) == 0)
            {
                blockers[i] = kept[i];
                continue;
            }
            var p = pools[i];
            ulong? victimWatch = null;
            if (plugins.Preemption is { } preemption && preemption.MayFindVictims(context, job, p))
            {
                // The search runs on this pool when the filters it cannot clear pass; then only a kept proof that it
                // fails lets the shape sleep, until the pool changes or a tenant the proof watches grows.
                victimWatch = FilterRunner.Run(context, job, p, plugins.StateFiltersButCapacity) is not null ? 0
                    : VictimFailure(context, plugins, job, p);
                if (victimWatch is null)
                {
                    return null;
                }
            }
            // every filter that turns it away: the shape stays blocked on the pool while any of them still does
            var kinds = Blocker.None;
            foreach (var f in plugins.StateFilters)
            {
                if (f.Filter(context, job, p) is not null)
                {
                    kinds |= f switch
                    {
                        PoolOpenFilter => Blocker.Closed,
                        QuotaFilter => Blocker.Quota,
                        CapacityFilter => Blocker.Room,
                        _ => Blocker.Power,
                    };
                }
            }
            if (kinds == Blocker.None)
            {
                return null;
            }
            blockers[i] = new PoolBlock(kinds, victimWatch is not null, victimWatch ?? 0);
        }
        return blockers;
    }

    /// <summary>Adds the tenants whose growth would wake the shape, by accelerator (cleared with the dormant shapes).</summary>
    private void Watch(CycleContext context, int[] pools, PoolBlock[] blockers)
    {
        if (_watched.Length != context.Hub.Accelerators.Length)
        {
            _watched = new ulong[context.Hub.Accelerators.Length];
        }
        for (var i = 0; i < pools.Length; i++)
        {
            _watched[context.Hub.Pools[pools[i]].Accelerator.Index] |= blockers[i].Watch;
        }
    }

    /// <summary>
    /// The tenants whose growth would end the kept proof (<see cref="VictimBounds"/>) that the preemption plugin's
    /// search for the job fails on the pool; null when no proof is kept for the pool as it is now.
    /// </summary>
    private ulong? VictimFailure(CycleContext context, PluginSet plugins, JobSpec job, int pool)
    {
        if (lasting is null || plugins.Preemption is not PriorityPreemption priority)
        {
            return null;
        }
        var reclaim = VictimRules.Reclaims(context, job, pool, priority.Reclaim);
        var shape = GangShape.For(job, context.Hub.Pools[pool]);
        return lasting.Get<VictimBounds>(priority)
            .WatchedWhileFailing(context, job, pool, reclaim, shape.MultiNode, shape.MultiNode ? shape.Nodes : job.Gpus);
    }

    /// <summary>
    /// End of a cycle, on the state as its decisions leave it: keeps the shapes still dormant (all of them if nothing
    /// was released and no victim appeared during the cycle, else those blocked after the last such change).
    /// </summary>
    public void EndCycle(CycleContext context)
    {
        if (Serial != _serialAtStart)
        {
            ClearDormant();
        }
        foreach (var b in _blocks)
        {
            if (b.Epoch == _epoch && (!_dormant.TryGetValue(b.Shape, out var d) || d.Suspect || b.Job.Gpus < d.Job.Gpus))
            {
                _dormant[b.Shape] = b;
                _suspects.Remove(b.Shape);
                _refile.Add(b.Shape);
            }
        }
        FlushRefiles();
        _blocks.Clear();
        _snapshot = Snapshot.Take(context);
    }


    /// <summary>A pool of the hub in a 64-bit mask: its own bit under 64, shared with others above (a mask that may say too much, never too little).</summary>
    private static ulong HubPoolBit(int pool) => 1UL << (pool & 63);

    /// <summary>Every pool of a shape, as a <see cref="Dormant.Triggered"/> mask.</summary>
    private const ulong AllPools = ulong.MaxValue;

    /// <summary>The bit of the shape's <paramref name="i"/>-th pool in a <see cref="Dormant.Triggered"/> mask (the last bit stands for all from the 64th on).</summary>
    private static ulong PoolBit(int i) => 1UL << Math.Min(i, 63);

    /// <summary>A shape blocked since <paramref name="Epoch"/>: the job that found it so, its pools and what turns it away on each.</summary>
    /// <param name="Shape">The shape.</param>
    /// <param name="Job">The job of the shape with the fewest GPUs found blocked.</param>
    /// <param name="Pools">The pools its permanent filters allow.</param>
    /// <param name="Epoch">When it was found blocked (blocks before a release do not count).</param>
    /// <param name="Blockers">What turns it away, per pool.</param>
    /// <param name="Suspect">Something loosened for it since: checked again when the cycle reaches it.</param>
    /// <param name="Triggered">For a suspect, the shape's pools (<see cref="PoolBit"/>) that something loosened for: only they are checked again.</param>
    private sealed record Dormant(JobShape Shape, JobSpec Job, int[] Pools, long Epoch, PoolBlock[] Blockers, bool Suspect, ulong Triggered)
    {
        /// <summary>Turned away before capacity on every pool: its wait is never a want of room.</summary>
        public bool Quiet
        {
            get
            {
                foreach (var b in Blockers)
                {
                    if ((b.Kinds & (Blocker.Closed | Blocker.Quota)) == 0)
                    {
                        return false;
                    }
                }
                return true;
            }
        }

        /// <summary>Its pools as a mask over the hub's pools (<see cref="HubPoolBit"/>).</summary>
        public ulong PoolMask { get; } = Pools.Aggregate(0UL, (m, p) => m | HubPoolBit(p));

        /// <summary>Whether power turned it away on some pool when it was last checked (a loosening of power may then reach it).</summary>
        public bool ByPower { get; init; } = AnyPower(Blockers);

        /// <summary>The pools (<see cref="HubPoolBit"/>) where a kept victim search keeps it asleep: any change there may wake it.</summary>
        public ulong VictimPools { get; init; } = VictimMask(Pools, Blockers);

        /// <summary>Checked again and still blocked: no longer a suspect, with what turns it away now (and the masks read from it).</summary>
        public Dormant CheckedAgain(PoolBlock[] blockers) =>
            this with { Suspect = false, Triggered = 0, Blockers = blockers, ByPower = AnyPower(blockers), VictimPools = VictimMask(Pools, blockers) };

        private static bool AnyPower(PoolBlock[] blockers) => blockers.Any(b => (b.Kinds & Blocker.Power) != 0);

        private static ulong VictimMask(int[] pools, PoolBlock[] blockers)
        {
            var mask = 0UL;
            for (var i = 0; i < pools.Length; i++)
            {
                mask |= blockers[i].ByVictims ? HubPoolBit(pools[i]) : 0;
            }
            return mask;
        }
    }

    /// <summary>
    /// What keeps a dormant shape from a pool: every filter that turns it away (it may fit only once each of them has
    /// loosened), and whether the preemption plugin may look for victims there (<paramref name="ByVictims"/>; then any
    /// change to the pool, or growth of a tenant in <paramref name="Watch"/> on its accelerator, may end the wait).
    /// </summary>
    private readonly record struct PoolBlock(Blocker Kinds, bool ByVictims, ulong Watch);

    /// <summary>Which filters turn a dormant shape away on a pool, so which loosenings together may let it in.</summary>
    [Flags]
    private enum Blocker : byte
    {
        None = 0,
        Closed = 1,
        Quota = 2,
        Room = 4,
        Power = 8,
    }

    /// <summary>The figures dormancy reads, per pool, site, tenant and accelerator.</summary>
    private sealed class Snapshot
    {
        private object _hub = null!, _state = null!, _aiSystems = null!;
        private int[] _largest = [], _whole = [], _sharedFree = [], _lowestClass = [];
        private long[] _version = [];
        private bool[] _closed = [];
        private double[] _itWatts = [];
        private (double Cap, double Grid, double Cooling, double Pue, bool Down)[] _limits = [];
        private int[,] _allocated = new int[0, 0];
        private long[,] _sharedMilli = new long[0, 0];
        private ulong[] _borrowers = [];
        private bool _manyTenants;

        public static Snapshot Take(CycleContext context)
        {
            var state = context.State;
            var hub = context.Hub;
            var s = new Snapshot
            {
                _hub = hub, _state = state, _aiSystems = state.AiSystems,
                _largest = new int[hub.Pools.Length], _whole = new int[hub.Pools.Length], _sharedFree = new int[hub.Pools.Length], _lowestClass = new int[hub.Pools.Length],
                _version = new long[hub.Pools.Length],
                _closed = new bool[hub.Pools.Length], _itWatts = new double[hub.Sites.Length],
                _limits = new (double, double, double, double, bool)[hub.Sites.Length],
                _allocated = new int[hub.Tenants.Length, hub.Accelerators.Length],
                _sharedMilli = new long[hub.Tenants.Length, hub.Accelerators.Length], _borrowers = new ulong[hub.Accelerators.Length],
                _manyTenants = hub.Tenants.Length > 64,
            };
            var classes = Core.Model.PriorityClasses.All.Length;
            for (var p = 0; p < hub.Pools.Length; p++)
            {
                var pool = state.Pools[p];
                s._largest[p] = pool.LargestFreeOnNode;
                s._whole[p] = pool.FreeWholeNodes;
                s._sharedFree[p] = pool.LargestSharedFreeMilli;
                s._closed[p] = pool.ClosedToNewWork;
                s._version[p] = pool.Version;
                var lowest = classes;
                for (var c = 0; c < classes; c++)
                {
                    if (state.RunningBelow(p, (Core.Model.PriorityClass)(c + 1)) > 0)
                    {
                        lowest = c;
                        break;
                    }
                }
                s._lowestClass[p] = lowest;
            }
            for (var site = 0; site < hub.Sites.Length; site++)
            {
                ref readonly var c = ref context.Conditions(site);
                s._itWatts[site] = state.SiteItWatts(site);
                s._limits[site] = (c.ItCapWatts, c.GridWatts, c.CoolingCapacityWatts, c.Pue, c.ClosedToNewWork);
            }
            foreach (var t in hub.Tenants)
            {
                for (var a = 0; a < hub.Accelerators.Length; a++)
                {
                    var allocated = state.Allocated(t.Index, a);
                    s._allocated[t.Index, a] = allocated;
                    s._sharedMilli[t.Index, a] = state.SharedMilli(t.Index, a);
                    if (!s._manyTenants && allocated > t.GuaranteedGpus[a])
                    {
                        s._borrowers[a] |= 1UL << t.Index;
                    }
                }
            }
            return s;
        }

        /// <summary>The lowest class running on the pool, as taken (the number of classes when none runs).</summary>
        public int LowestClass(int pool) => _lowestClass[pool];

        /// <summary>Whether the job, as its tenant's GPUs were taken, stays within its guarantee on one of the pools (sharers: always, to be safe).</summary>
        public bool MayReclaim(CycleContext context, JobSpec job, int[] pools)
        {
            if (job.SharesGpu)
            {
                return true;
            }
            foreach (var p in pools)
            {
                var a = context.Hub.Pools[p].Accelerator.Index;
                if (_allocated[job.Tenant, a] + job.Gpus <= context.Hub.Tenants[job.Tenant].GuaranteedGpus[a])
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Whether the pool's free GPUs, as taken, pass the capacity filter for the job (the figures it reads).</summary>
        public bool RoomFor(JobSpec job, NodePool pool) =>
            CapacityFilter.Fits(job, GangShape.For(job, pool), _largest[pool.Index], _whole[pool.Index], _sharedFree[pool.Index]);

        public bool SameWorld(Snapshot now) =>
            ReferenceEquals(_hub, now._hub) && ReferenceEquals(_state, now._state) && ReferenceEquals(_aiSystems, now._aiSystems);

        /// <summary>What loosened from <paramref name="before"/> to this snapshot; null when nothing did.</summary>
        public Loosened? LoosenedSince(Snapshot before, bool preemption)
        {
            Loosened? l = null;
            Loosened L() => l ??= new Loosened(this, _largest.Length, _itWatts.Length, _allocated.GetLength(0), _borrowers.Length);
            for (var p = 0; p < _largest.Length; p++)
            {
                if (preemption && _version[p] != before._version[p])
                {
                    L().Changed[p] = true;
                }
                if (_largest[p] > before._largest[p] || _whole[p] > before._whole[p] || _sharedFree[p] > before._sharedFree[p] || (before._closed[p] && !_closed[p]))
                {
                    L().Room[p] = true;
                }
                if (preemption && _lowestClass[p] < before._lowestClass[p])
                {
                    L().Victims[p] = true;
                }
            }
            for (var s = 0; s < _itWatts.Length; s++)
            {
                if (_itWatts[s] < before._itWatts[s])
                {
                    L().Power[s] = true;
                }
                if (_limits[s] != before._limits[s])
                {
                    L().Limits[s] = true;
                }
            }
            for (var t = 0; t < _allocated.GetLength(0); t++)
            {
                for (var a = 0; a < _allocated.GetLength(1); a++)
                {
                    // a sharer leaving may make room within the tenant's rounded-up GPUs without changing them
                    if (_allocated[t, a] < before._allocated[t, a] || _sharedMilli[t, a] < before._sharedMilli[t, a])
                    {
                        L().Tenants[t] = true;
                    }
                    if (preemption && _allocated[t, a] > before._allocated[t, a])
                    {
                        L().Grew[a] |= t < 64 ? 1UL << t : ulong.MaxValue;
                    }
                    else if (preemption && _manyTenants && _allocated[t, a] != before._allocated[t, a])
                    {
                        L().AnyNewBorrower = true;
                    }
                }
            }
            if (preemption)
            {
                for (var a = 0; a < _borrowers.Length; a++)
                {
                    if ((_borrowers[a] & ~before._borrowers[a]) != 0)
                    {
                        L().AnyNewBorrower = true;
                    }
                }
            }
            return l;
        }
    }

    /// <summary>
    /// What loosened: a pool's room (largest free node, wholly free nodes, reopened), its lowest running class (a
    /// victim), a site's IT power or its limits (hour, override, site up), a tenant's GPUs, an accelerator's borrowers.
    /// </summary>
    private sealed class Loosened(Snapshot now, int pools, int sites, int tenants, int accelerators)
    {
        public bool[] Room { get; } = new bool[pools];

        /// <summary>Pools that changed at all (a job started or ended, a node changed): a kept victim search there no longer holds.</summary>
        public bool[] Changed { get; } = new bool[pools];

        /// <summary>By accelerator, the tenants (a mask over the first 64; all bits beyond) that hold more of it.</summary>
        public ulong[] Grew { get; } = new ulong[accelerators];
        public bool[] Victims { get; } = new bool[pools];
        public bool[] Power { get; } = new bool[sites];
        public bool[] Limits { get; } = new bool[sites];
        public bool[] Tenants { get; } = new bool[tenants];
        public bool AnyNewBorrower { get; set; }

        private ulong? _reached;
        private ulong _byPower, _byVictims;

        /// <summary>
        /// Whether the loosening may reach the shape at all (a cheap test before <see cref="Touches"/>): a loosening of
        /// its own tenant's GPUs; of a pool's room, lowest class or site limits on one of its pools; of site power where
        /// power turned it away; or any change, or a watched tenant's growth, on a pool where a kept victim search keeps
        /// it asleep. When false, <see cref="Touches"/> would find nothing and change nothing.
        /// </summary>
        public bool MayTouch(CycleContext context, int tenant, Dormant d)
        {
            if (_reached is not { } reached)
            {
                reached = 0;
                foreach (var pool in context.Hub.Pools)
                {
                    var p = pool.Index;
                    if (Room[p] || Victims[p] || Limits[pool.Site])
                    {
                        reached |= HubPoolBit(p);
                    }
                    if (Changed[p] || Grew[pool.Accelerator.Index] != 0)
                    {
                        _byVictims |= HubPoolBit(p);
                    }
                    if (Power[pool.Site])
                    {
                        _byPower |= HubPoolBit(p);
                    }
                }
                _reached = reached;
            }
            return AnyNewBorrower || Tenants[tenant] || (d.PoolMask & reached) != 0 || (d.VictimPools & _byVictims) != 0
                || (d.ByPower && (d.PoolMask & _byPower) != 0);
        }

        /// <summary>
        /// The shape's pools (<see cref="PoolBit"/>) on which the loosening reaches what turns it away (or its victims,
        /// or its quota): 0 when none, <see cref="AllPools"/> when it reaches the shape everywhere.
        /// </summary>
        public ulong Touches(CycleContext context, int tenant, Dormant d, PluginSet plugins)
        {
            if (AnyNewBorrower)
            {
                return AllPools;
            }
            // fewer GPUs of its own tenant: its quota loosens, and under reclaim it may come within its guarantee
            var ownFell = Tenants[tenant];
            if (ownFell && plugins.Preemption is PriorityPreemption { Reclaim: true } && now.MayReclaim(context, d.Job, d.Pools))
            {
                return AllPools;
            }
            var triggered = 0UL;
            for (var i = 0; i < d.Pools.Length; i++)
            {
                var p = d.Pools[i];
                var pool = context.Hub.Pools[p];
                // a filter that has not loosened since the shape fell dormant still turns it away: the pool stays
                // closed to it while one of them is left (filters that loosened are dropped for good, even if they
                // still fail, so that loosenings in different intervals add up)
                var block = d.Blockers[i];
                var left = block.Kinds;
                if (Room[p] || Limits[pool.Site])
                {
                    left &= ~Blocker.Closed;
                }
                if (ownFell)
                {
                    left &= ~Blocker.Quota;
                }
                if (Room[p] && now.RoomFor(d.Job, pool))
                {
                    left &= ~Blocker.Room;
                }
                if (Power[pool.Site] || Limits[pool.Site])
                {
                    left &= ~Blocker.Power;
                }
                d.Blockers[i] = block with { Kinds = left };
                // a victim search kept from the pool by a filter before capacity (closed, quota) runs once that filter loosens
                var beforeRoom = Blocker.Closed | Blocker.Quota;
                if (left == Blocker.None || (Victims[p] && now.LowestClass(p) < (int)d.Job.Priority)
                    || (block.ByVictims && (Changed[p] || (Grew[pool.Accelerator.Index] & block.Watch) != 0
                        || (left & beforeRoom) != (block.Kinds & beforeRoom))))
                {
                    triggered |= PoolBit(i);
                }
            }
            return triggered;
        }
    }
}

/// <summary>Told by the <see cref="DormancyBook"/> when shapes fall dormant or wake.</summary>
internal interface IDormancyListener
{
    /// <summary>The shape fell dormant, woke, or changed its threshold or quietness.</summary>
    void ShapeChanged(JobShape shape);

    /// <summary>Every shape woke.</summary>
    void Cleared();
}
