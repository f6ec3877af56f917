using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Profiles;

namespace Serai.Scheduling.Tests.Support;

/// <summary>One-line set-ups for table-driven tests.</summary>
public static class Cycles
{
    public static Driver NewDriver(HubModel? hub = null, SchedulerProfile? profile = null, long? now = null) =>
        new(new HubState(hub ?? TestHub.Build(), now ?? TestHub.JanuaryNightUtc), new Scheduler(profile ?? BuiltInProfiles.Serai));

    public static CycleResult Submit(this Driver driver, long now, params JobSpec[] jobs)
    {
        driver.Queue.AddRange(jobs.Select(j => new PendingJob(j)));
        return driver.Cycle(now);
    }

    public static Decision For(this CycleResult result, JobSpec job) =>
        result.Decisions.Last(d => d.Job == job.Id && d.Kind != DecisionKind.Preempt);

    public static int PoolOf(this Driver driver, JobSpec job) => driver.State.Running[job.Id].Placement.Pool;
}
