using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling;

/// <summary>
/// The scheduler: a pure function of (hub state, queue, now) to decisions. It borrows the state for the cycle,
/// tries placements on it tentatively and rolls them back, so the state is unchanged when it returns; the caller
/// applies the decisions it accepts with <see cref="DecisionApplier"/>.
/// </summary>
public sealed class Scheduler(SchedulerProfile profile)
{
    public SchedulerProfile Profile { get; } = profile;

    public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix, ICycleObserver? observer = null)
    {
        throw new NotImplementedException();
    }
}
