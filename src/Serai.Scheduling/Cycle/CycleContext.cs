using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// What plugins read during one cycle: the hub, the borrowed state (changed only tentatively, through the
/// journal), the instant, the profile, and per-site conditions computed once at the start of the cycle.
/// </summary>
public sealed class CycleContext
{
    private readonly SiteConditions[] _conditions;

    public CycleContext(HubState state, long nowUnix, SchedulerProfile profile)
    {
        State = state;
        Hub = state.Hub;
        NowUnix = nowUnix;
        Profile = profile;
        _conditions = new SiteConditions[Hub.Sites.Length];
        for (var s = 0; s < _conditions.Length; s++)
        {
            _conditions[s] = state.Conditions(s, nowUnix);
        }
    }

    public HubModel Hub { get; }
    public HubState State { get; }
    public long NowUnix { get; }
    public SchedulerProfile Profile { get; }

    /// <summary>Weather, PUE, carbon, price and limits of a site at the start of the cycle.</summary>
    public ref readonly SiteConditions Conditions(int site) => ref _conditions[site];

    /// <summary>IT power a site draws now, including this cycle's tentative changes.</summary>
    public double ItWatts(int site) => State.SiteItWatts(site);

    private int[]? _borrowers;
    private int[]? _soleBorrower;
    private long _borrowersVersion = -1;

    /// <summary>
    /// Whether a tenant other than <paramref name="tenant"/> holds more of this accelerator than its guarantee;
    /// recounted only when the state has changed since the last question.
    /// </summary>
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
