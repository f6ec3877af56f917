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

    /// <summary>Bumped on every change, so that a caller can tell whether a decision added to the memo.</summary>
    public int Version { get; private set; }

    /// <summary>True when a job of the shape with <paramref name="gpus"/> GPUs would find the memo's answer, <paramref name="code"/>.</summary>
    public bool Covers(JobShape shape, int gpus, out ReasonCode code)
    {
        if (_failed.TryGetValue(shape, out var entry) && gpus >= entry.Gpus)
        {
            code = entry.Reason.Code;
            return true;
        }
        code = default;
        return false;
    }

    /// <summary>The shapes in the memo with the smallest GPUs that failed and why.</summary>
    public IEnumerable<(JobShape Shape, int Gpus, ReasonCode Code)> Entries => _failed.Select(e => (e.Key, e.Value.Gpus, e.Value.Reason.Code));

    public void Add(JobShape shape, JobSpec job, Reason reason)
    {
        if (!_failed.TryGetValue(shape, out var entry) || job.Gpus < entry.Gpus)
        {
            _failed[shape] = (job.Gpus, reason);
            Version++;
        }
    }

    public void Clear()
    {
        _failed.Clear();
        Version++;
    }
}
