using Serai.Core.Jobs;
using Serai.Scheduling.Cycle;

namespace Serai.Scheduling.Filters;

/// <summary>
/// A filter plugin: may this job run on this pool? Returns null to pass or a <see cref="Reason"/> to reject.
/// <see cref="Permanent"/> filters depend only on the hub and the job (a job that no pool passes is rejected);
/// the others depend on the state now (the job waits).
/// </summary>
public interface IPoolFilter
{
    string Name { get; }

    bool Permanent { get; }

    Reason? Filter(CycleContext context, JobSpec job, int pool);
}
