using Serai.Core.Jobs;

namespace Serai.Scheduling.Preemption;

/// <summary>
/// Within a cycle, remembers that no victims could be found on a pool for a job of a given tenant, class and mode
/// at N GPUs; a larger job of the same kind fails there too, until something is released.
/// </summary>
internal sealed class PreemptionMemo
{
    private readonly Dictionary<(int Pool, int Tenant, Core.Model.PriorityClass Priority, bool Reclaim, bool MultiNode), int> _failedAt = [];

    public bool KnownToFail(JobSpec job, int pool, bool reclaim, bool multiNode) =>
        _failedAt.TryGetValue((pool, job.Tenant, job.Priority, reclaim, multiNode), out var gpus) && job.Gpus >= gpus;

    public void Failed(JobSpec job, int pool, bool reclaim, bool multiNode)
    {
        var key = (pool, job.Tenant, job.Priority, reclaim, multiNode);
        if (!_failedAt.TryGetValue(key, out var gpus) || job.Gpus < gpus)
        {
            _failedAt[key] = job.Gpus;
        }
    }

    public void Clear() => _failedAt.Clear();
}
