using Serai.Core.Jobs;
using Serai.Core.State;

namespace Serai.Scheduling;

/// <summary>
/// What a control loop (the live server's or the simulator's) calls once per cycle. The real one is
/// <see cref="Scheduler"/>; tests plug in doubles here.
/// </summary>
public interface ISchedulingPolicy
{
    string Name { get; }

    CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix);
}
