using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

namespace Serai.Simulation.Engine;

/// <summary>What the engine calls once per cycle; the real one is <see cref="SchedulerPolicy"/>, tests plug in doubles.</summary>
public interface ICyclePolicy
{
    string Name { get; }

    CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix);
}

/// <summary>The same <see cref="Scheduler"/> the live hub runs, under one of its profiles.</summary>
public sealed class SchedulerPolicy(SchedulerProfile profile) : ICyclePolicy
{
    private readonly Scheduler _scheduler = new(profile);

    public string Name => profile.Name;

    public CycleResult Schedule(HubState state, IReadOnlyList<PendingJob> queue, long nowUnix) =>
        _scheduler.Schedule(state, queue, nowUnix, observer: null, explainWaits: false);
}
