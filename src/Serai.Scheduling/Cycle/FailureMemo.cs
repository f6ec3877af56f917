using Serai.Core.Jobs;

namespace Serai.Scheduling.Cycle;

/// <summary>Remembers, within one cycle, the smallest gang of each shape that found no room; cleared on any release.</summary>
internal sealed class FailureMemo
{
    private readonly Dictionary<JobShape, (int Gpus, Reason Reason)> _failed = [];

    public bool TryGet(JobShape shape, JobSpec job, out Reason reason)
    {
        if (_failed.TryGetValue(shape, out var entry) && job.Gpus >= entry.Gpus)
        {
            reason = entry.Reason;
            return true;
        }
        reason = default;
        return false;
    }

    /// <summary>True when a job of the shape with <paramref name="gpus"/> GPUs would find the memo's answer.</summary>
    public bool Covers(JobShape shape, int gpus) => _failed.TryGetValue(shape, out var entry) && gpus >= entry.Gpus;

    public void Add(JobShape shape, JobSpec job, Reason reason)
    {
        if (!_failed.TryGetValue(shape, out var entry) || job.Gpus < entry.Gpus)
        {
            _failed[shape] = (job.Gpus, reason);
        }
    }

    public void Clear() => _failed.Clear();
}
