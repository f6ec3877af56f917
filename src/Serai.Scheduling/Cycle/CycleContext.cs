using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Plugins;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// One cycle's hold on the state: the cycle writes through <see cref="State"/> (tentatively, in the journal); plugins
/// see the same state through <see cref="ISchedulingView"/>, read-only, with the site conditions computed once.
/// </summary>
internal sealed class CycleContext : ISchedulingView
{
    private readonly SiteConditions[] _conditions;

    public CycleContext(HubState state, long nowUnix)
    {
        State = state;
        Hub = state.Hub;
        NowUnix = nowUnix;
        _conditions = new SiteConditions[Hub.Sites.Length];
        for (var s = 0; s < _conditions.Length; s++)
        {
            _conditions[s] = state.Conditions(s, nowUnix);
        }
        AllPools = [.. Enumerable.Range(0, Hub.Pools.Length)];
    }

    public HubModel Hub { get; }
    public HubState State { get; }
    public long NowUnix { get; }

    /// <summary>Every pool index, for the permanent filters.</summary>
    public int[] AllPools { get; }

    public ref readonly SiteConditions Conditions(int site) => ref _conditions[site];

    public double ItWatts(int site) => State.SiteItWatts(site);

    public PoolView Pool(int pool) => new(State.Pools[pool]);

    public IReadOnlyDictionary<JobId, RunningJob> Running => State.Running;

    public int Allocated(int tenant, int accelerator) => State.Allocated(tenant, accelerator);

    public int AllocationGrowth(JobSpec job, int accelerator) => State.AllocationGrowth(job, accelerator);

    public int Borrowed(int tenant) => State.Borrowed(tenant);

    public double FairShare(int tenant) => State.FairShare(tenant);

    public SiteOverride Override(int site) => State.Override(site);

    public int RunningBelow(int pool, PriorityClass priority) => State.RunningBelow(pool, priority);

    public IReadOnlyCollection<(long EndUnix, JobId Job)> ExpectedEnds(int pool) => State.ExpectedEnds(pool);

    private int[]? _nodeScratch;

    /// <summary>
    /// An array of zeros with a place per node of the largest pool, shared through the cycle; whoever borrows it sets
    /// what it wrote back to zero before returning.
    /// </summary>
    public int[] ZeroedPerNode(int nodes)
    {
        if (_nodeScratch is null || _nodeScratch.Length < nodes)
        {
            _nodeScratch = new int[Math.Max(nodes, Hub.Pools.Max(p => p.Nodes))];
        }
        return _nodeScratch;
    }

    private int[]? _borrowers;
    private int[]? _soleBorrower;
    private long _borrowersVersion = -1;

    /// <summary>Recounted only when the state has changed since the last question.</summary>
    public bool AnyOtherBorrower(int accelerator, int tenant)
    {
        if (_borrowersVersion != State.Version)
        {
            _borrowers ??= new int[Hub.Accelerators.Length];
            _soleBorrower ??= new int[Hub.Accelerators.Length];
            Array.Clear(_borrowers);
            foreach (var t in Hub.Tenants)
            {
                for (var a = 0; a < _borrowers.Length; a++)
                {
                    if (State.Allocated(t.Index, a) > t.GuaranteedGpus[a])
                    {
                        _borrowers[a]++;
                        _soleBorrower[a] = t.Index;
                    }
                }
            }
            _borrowersVersion = State.Version;
        }
        return _borrowers![accelerator] > 1 || (_borrowers[accelerator] == 1 && _soleBorrower![accelerator] != tenant);
    }
}
