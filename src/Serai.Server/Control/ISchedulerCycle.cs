using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

namespace Serai.Server.Control;

/// <summary>One scheduling cycle over the loop's state; the seam where tests or other profiles plug in.</summary>
public interface ISchedulerCycle
{
    string Name { get; }

    CycleResult Run(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix);
}

/// <summary>The pure scheduler with a built-in profile ("serai" unless configured).</summary>
public sealed class ProfileSchedulerCycle(SchedulerProfile profile) : ISchedulerCycle
{
    private readonly Scheduler _scheduler = new(profile);

    public string Name => profile.Name;

    public CycleResult Run(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix) => _scheduler.Schedule(state, queue, nowUnix);
}
