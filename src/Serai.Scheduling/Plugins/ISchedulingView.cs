using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;

namespace Serai.Scheduling.Plugins;

/// <summary>
/// What plugins read: the hub, the state as this cycle has it so far (its tentative placements included), the instant,
/// and each site's conditions at the start of the cycle. Read-only: plugins answer questions; only the cycle writes, and
/// it writes through the state's journal, which it rolls back before returning.
/// </summary>
public interface ISchedulingView
{
    HubModel Hub { get; }

    long NowUnix { get; }

    /// <summary>Weather, PUE, carbon, price and limits of a site at the start of the cycle.</summary>
    ref readonly SiteConditions Conditions(int site);

    /// <summary>IT power a site draws now, including this cycle's tentative changes.</summary>
    double ItWatts(int site);

    /// <summary>Free GPUs and jobs of a pool, node by node.</summary>
    PoolView Pool(int pool);

    IReadOnlyDictionary<JobId, RunningJob> Running { get; }

    /// <summary>GPUs of an accelerator that a tenant holds now.</summary>
    int Allocated(int tenant, int accelerator);

    /// <summary>GPUs a tenant's allocation of an accelerator grows by when <paramref name="job"/> starts there (see <see cref="HubState.AllocationGrowth"/>).</summary>
    int AllocationGrowth(JobSpec job, int accelerator);

    /// <summary>GPUs a tenant holds beyond its guarantees, over all accelerators.</summary>
    int Borrowed(int tenant);

    /// <summary>A tenant's decayed usage and current holding over its entitlement (lower is served first).</summary>
    double FairShare(int tenant);

    /// <summary>The what-if override of a site (temperature offset, cap cut), or none.</summary>
    SiteOverride Override(int site);

    /// <summary>Running jobs on a pool with a priority class below <paramref name="priority"/>.</summary>
    int RunningBelow(int pool, PriorityClass priority);

    /// <summary>Running jobs of a pool by expected end (jobs without an estimate are absent).</summary>
    IReadOnlyCollection<(long EndUnix, JobId Job)> ExpectedEnds(int pool);

    /// <summary>Whether a tenant other than <paramref name="tenant"/> holds more of this accelerator than its guarantee.</summary>
    bool AnyOtherBorrower(int accelerator, int tenant);
}
