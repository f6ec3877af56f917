using Serai.Core.Jobs;

namespace Serai.Scheduling;

/// <summary>Watches a cycle without changing it (benchmarks time each job's decision through it).</summary>
public interface ICycleObserver
{
    void JobStarting(JobId job);

    void JobDecided(JobId job);
}
