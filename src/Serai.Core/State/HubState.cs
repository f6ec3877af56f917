using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Core.State;

/// <summary>
/// The mutable state the scheduler reads: free GPUs per node, running jobs, IT power per site, each tenant's
/// allocation and decayed usage, and site overrides. Owned by one control loop (live server or simulator); the
/// scheduler borrows it for a cycle, records every tentative change in a journal and rolls it back before
/// returning, so a cycle leaves the state exactly as it found it.
/// </summary>
public sealed class HubState
{
    private readonly Dictionary<JobId, RunningJob> _running = [];
    private readonly int[,] _allocated;
    private readonly int[] _allocatedTotal;

    // Thousandths of GPUs a tenant's sharers hold per accelerator; its allocation counts them rounded up to whole GPUs.
    private readonly long[,] _sharedMilliByTenant;
    private readonly double[] _decayedGpuSeconds;
    private readonly double[] _siteBusyWatts;

    // Jobs that share a GPU draw a share of its power, which binary fractions do not hold exactly; kept in whole
    // milliwatts so that a cycle's rollback leaves the state bit for bit as it found it.
    private readonly long[] _siteSharedBusyMilliwatts;
    private readonly double[] _siteIdleWatts;
    private readonly SiteOverride?[] _overrides;
    private readonly bool[] _unreachable;
    private readonly Dictionary<(int Pool, int Node), double> _suspendedSavings = [];
    private readonly SortedSet<(long EndUnix, JobId Job)>[] _endsByPool;
    private readonly int[] _throttledBySite;
    private readonly int[,] _runningByPoolAndClass;
    private List<JournalEntry>? _journal;

    public HubState(HubModel hub, long nowUnix = 0, double fairShareHalfLifeSeconds = 7 * 86400)
    {
        Hub = hub;
        AiSystems = hub.ConfiguredAiSystems;
        Pools = hub.Pools.Select(p => new PoolState(p)).ToArray();
        _allocated = new int[hub.Tenants.Length, hub.Accelerators.Length];
        _allocatedTotal = new int[hub.Tenants.Length];
        _sharedMilliByTenant = new long[hub.Tenants.Length, hub.Accelerators.Length];
        _decayedGpuSeconds = new double[hub.Tenants.Length];
        _siteBusyWatts = new double[hub.Sites.Length];
        _siteSharedBusyMilliwatts = new long[hub.Sites.Length];
        _siteIdleWatts = hub.Sites.Select(s => s.PoolIndexes.Sum(p => hub.Pools[p].IdleWatts)).ToArray();
        _overrides = new SiteOverride?[hub.Sites.Length];
        _unreachable = new bool[hub.Sites.Length];
        _endsByPool = hub.Pools.Select(_ => new SortedSet<(long, JobId)>()).ToArray();
        _throttledBySite = new int[hub.Sites.Length];
        _runningByPoolAndClass = new int[hub.Pools.Length, PriorityClasses.All.Length];
        UsageUpdatedUnix = nowUnix;
        FairShareHalfLifeSeconds = fairShareHalfLifeSeconds;
    }

    public HubModel Hub { get; }

    /// <summary>The AI-system registry in force: the configured systems, then those registered while the hub runs.</summary>
    public AiSystemRegistry AiSystems { get; private set; }
    public PoolState[] Pools { get; }
    public double FairShareHalfLifeSeconds { get; }
    public long UsageUpdatedUnix { get; private set; }
    public IReadOnlyDictionary<JobId, RunningJob> Running => _running;

    /// <summary>Bumped on every change; lets a caller tell whether anything moved since it last looked.</summary>
    public long Version { get; private set; }

    /// <summary>Running jobs of a pool that have an estimate, by expected end (for backfill reservations).</summary>
    public IReadOnlyCollection<(long EndUnix, JobId Job)> ExpectedEnds(int pool) => _endsByPool[pool];

    /// <summary>The same as <see cref="ExpectedEnds"/>, walked without an interface call per job (backfill planning walks it often).</summary>
    public SortedSet<(long EndUnix, JobId Job)>.Enumerator EndsInOrder(int pool) => _endsByPool[pool].GetEnumerator();

    /// <summary>Running jobs on a pool of a class strictly below <paramref name="priority"/>.</summary>
    public int RunningBelow(int pool, PriorityClass priority)
    {
        var count = 0;
        for (var c = 0; c < (int)priority; c++)
        {
            count += _runningByPoolAndClass[pool, c];
        }
        return count;
    }

    /// <summary>Running jobs at a site whose power is capped below what they asked for.</summary>
    public int ThrottledCount(int site) => _throttledBySite[site];

    public static bool IsThrottled(RunningJob job) => job.PowerFraction < job.Spec.PowerFraction;

    /// <summary>GPUs whose power a job sets: its own, or its share of the one GPU it shares with other jobs.</summary>
    public static double PowerGpus(RunningJob job) => Math.Min(job.Spec.GpuShare, job.Placement.Gpus);

    /// <summary>The thousandths a job takes of its GPU when it shares one, else 0 (whole GPUs).</summary>
    private static int SharedMilli(RunningJob job) => job.Spec.SharesGpu ? job.Spec.GpuMilli : 0;

    /// <summary>
    /// GPUs of an accelerator a tenant holds: whole GPUs, plus the thousandths its jobs that share GPUs hold, rounded up
    /// (three sharers of 300 count as one GPU).
    /// </summary>
    public int Allocated(int tenant, int accelerator) => _allocated[tenant, accelerator];

    /// <summary>Thousandths of an accelerator's GPUs that a tenant's jobs sharing GPUs hold.</summary>
    public long SharedMilli(int tenant, int accelerator) => _sharedMilliByTenant[tenant, accelerator];

    /// <summary>GPUs a tenant's allocation of an accelerator grows by when a job of it starts there (0 for a sharer that fits its rounding).</summary>
    public int AllocationGrowth(JobSpec job, int accelerator)
    {
        if (!job.SharesGpu)
        {
            return job.Gpus;
        }
        var milli = _sharedMilliByTenant[job.Tenant, accelerator];
        return WholeGpus(milli + job.GpuMilli) - WholeGpus(milli);
    }

    private static int WholeGpus(long milli) => (int)((milli + Gpu.Milli - 1) / Gpu.Milli);
    public int AllocatedTotal(int tenant) => _allocatedTotal[tenant];

    /// <summary>GPUs this tenant uses beyond its guarantees, summed over accelerator models.</summary>
    public int Borrowed(int tenant)
    {
        var total = 0;
        var guaranteed = Hub.Tenants[tenant].GuaranteedGpus;
        for (var a = 0; a < guaranteed.Length; a++)
        {
            total += Math.Max(0, _allocated[tenant, a] - guaranteed[a]);
        }
        return total;
    }

    public double DecayedGpuSeconds(int tenant) => _decayedGpuSeconds[tenant];

    /// <summary>
    /// Usage against weighted entitlement: (recent average GPUs + GPUs held now) / entitlement. Lower goes first.
    /// </summary>
    public double FairShare(int tenant)
    {
        var entitlement = Hub.EntitlementGpus(tenant);
        var usage = _decayedGpuSeconds[tenant] / FairShareHalfLifeSeconds + _allocatedTotal[tenant];
        return entitlement <= 0 ? usage * 1e9 : usage / entitlement;
    }

    public SiteOverride Override(int site) => _overrides[site] ?? NoOverride;

    /// <summary>IT power drawn at a site: idle nodes, Serai's running jobs, and what a live feed measured beyond them.</summary>
    public double SiteItWatts(int site) => ModelledItWatts(site) + (_overrides[site]?.ExtraItWatts ?? 0);

    /// <summary>IT power the model alone gives a site: idle nodes and Serai's running jobs.</summary>
    public double ModelledItWatts(int site) => _siteIdleWatts[site] + _siteBusyWatts[site] + _siteSharedBusyMilliwatts[site] / 1000.0;

    public SiteConditions Conditions(int siteIndex, long nowUnix)
    {
        var site = Hub.Sites[siteIndex];
        var o = Override(siteIndex);
        var t = o.TemperatureC ?? site.TemperatureC.At(nowUnix) + o.TemperatureOffsetC;
        return new SiteConditions(
            t,
            o.Pue ?? site.Cooling.Pue(t),
            site.CarbonGPerKwh.At(nowUnix),
            site.PriceUsdPerKwh.At(nowUnix),
            o.ItCapWatts ?? site.ItCapWatts,
            o.GridWatts ?? site.GridWatts,
            site.Cooling.CapacityAt(t),
            SiteItWatts(siteIndex),
            o.Down,
            _unreachable[siteIndex]);
    }

    /// <summary>Decays every tenant's usage to <paramref name="nowUnix"/> and adds what they held meanwhile.</summary>
    public void AdvanceUsage(long nowUnix)
    {
        var dt = nowUnix - UsageUpdatedUnix;
        if (dt <= 0)
        {
            return;
        }
        var h = FairShareHalfLifeSeconds;
        var keep = Math.Pow(2, -dt / h);
        var gained = h / Math.Log(2) * (1 - keep);
        for (var t = 0; t < _decayedGpuSeconds.Length; t++)
        {
            _decayedGpuSeconds[t] = _decayedGpuSeconds[t] * keep + _allocatedTotal[t] * gained;
        }
        UsageUpdatedUnix = nowUnix;
        Version++;
    }

    /// <summary>Starts a job on its placement: takes the GPUs, adds its power and its tenant's allocation.</summary>
    public void Start(RunningJob job)
    {
        if (_running.ContainsKey(job.Id))
        {
            throw new InvalidOperationException($"job {job.Id} is already running");
        }
        var p = job.Placement;
        var pool = Pools[p.Pool];
        var busyBefore = _siteBusyWatts[pool.Pool.Site];
        for (var i = 0; i < p.Nodes.Length; i++)
        {
            pool.Take(job.Id, p.Nodes[i], p.GpuMasks[i], SharedMilli(job));
        }
        _running.Add(job.Id, job);
        var gpus = Allocate(job, pool.Pool.Accelerator.Index, +1);
        _allocated[job.Spec.Tenant, pool.Pool.Accelerator.Index] += gpus;
        _allocatedTotal[job.Spec.Tenant] += gpus;
        AddBusy(job, pool.Pool, job.PowerFraction, +1);
        if (job.ExpectedEndUnix is { } end)
        {
            _endsByPool[p.Pool].Add((end, job.Id));
        }
        _runningByPoolAndClass[p.Pool, (int)job.Spec.Priority]++;
        _throttledBySite[pool.Pool.Site] += IsThrottled(job) ? 1 : 0;
        _journal?.Add(new JournalEntry(JournalKind.Started, job, busyBefore));
        Version++;
    }

    /// <summary>Frees a running job's GPUs (completion, failure, cancel or preemption); returns it, or null if unknown.</summary>
    public RunningJob? Release(JobId id)
    {
        if (!_running.Remove(id, out var job))
        {
            return null;
        }
        var p = job.Placement;
        var pool = Pools[p.Pool];
        var busyBefore = _siteBusyWatts[pool.Pool.Site];
        for (var i = 0; i < p.Nodes.Length; i++)
        {
            pool.Give(id, p.Nodes[i], p.GpuMasks[i], SharedMilli(job));
        }
        var gpus = Allocate(job, pool.Pool.Accelerator.Index, -1);
        _allocated[job.Spec.Tenant, pool.Pool.Accelerator.Index] -= gpus;
        _allocatedTotal[job.Spec.Tenant] -= gpus;
        AddBusy(job, pool.Pool, job.PowerFraction, -1);
        if (job.ExpectedEndUnix is { } end)
        {
            _endsByPool[p.Pool].Remove((end, id));
        }
        _runningByPoolAndClass[p.Pool, (int)job.Spec.Priority]--;
        _throttledBySite[pool.Pool.Site] -= IsThrottled(job) ? 1 : 0;
        if (_running.Count == 0)
        {
            Array.Clear(_siteBusyWatts); // no drift from floating-point sums once idle
        }
        _journal?.Add(new JournalEntry(JournalKind.Released, job, busyBefore));
        Version++;
        return job;
    }

    /// <summary>The change in whole GPUs a job's start (+1) or release (-1) makes to its tenant's allocation.</summary>
    private int Allocate(RunningJob job, int accelerator, int sign)
    {
        if (!job.Spec.SharesGpu)
        {
            return job.Placement.Gpus;
        }
        var before = _sharedMilliByTenant[job.Spec.Tenant, accelerator];
        var after = before + sign * job.Spec.GpuMilli;
        _sharedMilliByTenant[job.Spec.Tenant, accelerator] = after;
        return sign * (WholeGpus(after) - WholeGpus(before));
    }

    private void AddBusy(RunningJob job, NodePool pool, double powerFraction, int sign)
    {
        var watts = pool.BusyDeltaWatts(PowerGpus(job), powerFraction);
        if (job.Spec.SharesGpu)
        {
            _siteSharedBusyMilliwatts[pool.Site] += sign * (long)Math.Round(watts * 1000);
        }
        else
        {
            _siteBusyWatts[pool.Site] += sign * watts;
        }
    }

    /// <summary>Caps a running job's power (throttling) or restores it.</summary>
    public void SetPowerFraction(JobId id, double powerFraction)
    {
        var job = _running[id];
        var pool = Hub.Pools[job.Placement.Pool];
        var busyBefore = _siteBusyWatts[pool.Site];
        if (job.Spec.SharesGpu)
        {
            AddBusy(job, pool, powerFraction, +1);
            AddBusy(job, pool, job.PowerFraction, -1);
        }
        else
        {
            var gpus = PowerGpus(job);
            _siteBusyWatts[pool.Site] += pool.BusyDeltaWatts(gpus, powerFraction) - pool.BusyDeltaWatts(gpus, job.PowerFraction);
        }
        var changed = job with { PowerFraction = powerFraction };
        _running[id] = changed;
        _throttledBySite[pool.Site] += (IsThrottled(changed) ? 1 : 0) - (IsThrottled(job) ? 1 : 0);
        _journal?.Add(new JournalEntry(JournalKind.PowerChanged, job, busyBefore));
        Version++;
    }

    public void SetOverride(int site, SiteOverride? value)
    {
        _overrides[site] = value;
        Version++;
    }

    /// <summary>Whether the site's own manager cannot be reached now (kept apart from the overrides that operators and feeds set).</summary>
    public bool IsUnreachable(int site) => _unreachable[site];

    public void SetUnreachable(int site, bool unreachable)
    {
        _unreachable[site] = unreachable;
        Version++;
    }

    /// <summary>Marks a node down or up; the caller releases the jobs on a node before taking it down.</summary>
    public void SetNodeDown(int pool, int node, bool down)
    {
        if (down && Pools[pool].JobsOn(node).Count > 0)
        {
            throw new InvalidOperationException("release the jobs on a node before marking it down");
        }
        Pools[pool].SetDown(node, down);
        Version++;
    }

    /// <summary>Sets the GPUs of a node the site reports held outside Serai (clamped to those Serai does not hold).</summary>
    public int SetHeldOutside(int pool, int node, int gpus)
    {
        if (_journal is not null)
        {
            throw new InvalidOperationException("the site's view of its GPUs changes between cycles, not within one");
        }
        var held = Pools[pool].SetHeldOutside(node, gpus);
        Version++;
        return held;
    }

    /// <summary>
    /// Suspends an idle node (its draw drops from its idle power to <paramref name="suspendedWatts"/>), starts resuming it
    /// (idle power again, still no work) or turns it on. Only a node without jobs may be suspended.
    /// </summary>
    public void SetNodePower(int pool, int node, NodePower power, double suspendedWatts)
    {
        var state = Pools[pool];
        var before = state.Power(node);
        if (before == power)
        {
            return;
        }
        if (power == NodePower.Suspended && state.JobsOn(node).Count > 0)
        {
            throw new InvalidOperationException("only a node without jobs may be suspended");
        }
        var p = Hub.Pools[pool];
        var saved = p.GpusPerNode * p.Accelerator.IdleWatts + p.NodeOverheadWatts - suspendedWatts;
        if (before == NodePower.Suspended)
        {
            _siteIdleWatts[p.Site] += _suspendedSavings.Remove((pool, node), out var was) ? was : saved;
        }
        if (power == NodePower.Suspended)
        {
            _siteIdleWatts[p.Site] -= saved;
            _suspendedSavings[(pool, node)] = saved;
        }
        state.SetPower(node, power);
        Version++;
    }

    /// <summary>Closes a node to new work (an operator's drain) or opens it again; jobs on it run on.</summary>
    public void SetNodeClosed(int pool, int node, bool closed)
    {
        Pools[pool].SetClosed(node, closed);
        Version++;
    }

    public void SetPoolClosed(int pool, bool closed)
    {
        Pools[pool].ClosedToNewWork = closed;
        Version++;
    }

    /// <summary>
    /// Puts another AI-system registry in force (a registration or approval): usage, allocations and running jobs stay.
    /// Every system already registered keeps its index, so jobs that name one by index still name the same system.
    /// </summary>
    public void ReplaceAiSystems(AiSystemRegistry registry)
    {
        if (!registry.Extends(AiSystems))
        {
            throw new ArgumentException("a new AI-system registry must keep every registered system under its index", nameof(registry));
        }
        AiSystems = registry;
        Version++;
    }

    /// <summary>Sets every tenant's decayed usage as it was at <paramref name="asOfUnix"/> (after a restart).</summary>
    public void RestoreUsage(IReadOnlyList<double> decayedGpuSeconds, long asOfUnix)
    {
        for (var t = 0; t < _decayedGpuSeconds.Length && t < decayedGpuSeconds.Count; t++)
        {
            _decayedGpuSeconds[t] = decayedGpuSeconds[t];
        }
        UsageUpdatedUnix = asOfUnix;
        Version++;
    }

    /// <summary>Keeps the changes recorded since <see cref="BeginTentative"/> and closes the journal.</summary>
    public void CommitTentative()
    {
        if (_journal is null)
        {
            throw new InvalidOperationException("no tentative cycle is open");
        }
        _journal = null;
    }

    /// <summary>Starts recording changes; <see cref="Rollback"/> undoes them in reverse order.</summary>
    public void BeginTentative()
    {
        if (_journal is not null)
        {
            throw new InvalidOperationException("a tentative cycle is already open");
        }
        _journal = [];
    }

    /// <summary>A point in the open journal to roll back to.</summary>
    public int JournalMark => _journal?.Count ?? throw new InvalidOperationException("no tentative cycle is open");

    public void Rollback() => RollbackTo(0, close: true);

    /// <summary>Undoes the changes recorded after <paramref name="mark"/>, keeping the journal open.</summary>
    public void RollbackTo(int mark) => RollbackTo(mark, close: false);

    private void RollbackTo(int mark, bool close)
    {
        var journal = _journal ?? throw new InvalidOperationException("no tentative cycle is open");
        _journal = null;
        for (var i = journal.Count - 1; i >= mark; i--)
        {
            var entry = journal[i];
            switch (entry.Kind)
            {
                case JournalKind.Started:
                    Release(entry.Job.Id);
                    break;
                case JournalKind.Released:
                    Start(entry.Job);
                    break;
                case JournalKind.PowerChanged:
                    SetPowerFraction(entry.Job.Id, entry.Job.PowerFraction);
                    break;
            }
            // a floating-point sum undone by subtraction can be an ulp off: restore the figure as it was, exactly
            _siteBusyWatts[Hub.Pools[entry.Job.Placement.Pool].Site] = entry.SiteBusyWattsBefore;
        }
        journal.RemoveRange(mark, journal.Count - mark);
        _journal = close ? null : journal;
    }

    private static readonly SiteOverride NoOverride = new();

    private enum JournalKind
    {
        Started,
        Released,
        PowerChanged,
    }

    /// <summary>A change to undo, with the busy watts of the job's site before it.</summary>
    private readonly record struct JournalEntry(JournalKind Kind, RunningJob Job, double SiteBusyWattsBefore);
}
