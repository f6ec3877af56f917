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
}
