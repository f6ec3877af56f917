using Serai.Core.Jobs;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// Remembers, within one cycle, the jobs of each shape that found no room; cleared on any release. Two kinds of
/// failure are kept: for want of room, the smallest gang of the shape that failed (a larger one fails too); and for
/// backfill reservations, the gangs that failed only because they would still run when a reservation starts (a job of
/// the shape at least as large that ends no earlier fails too: within a cycle free room only shrinks and reservations
/// are only added until something is released). A job the memo covers waits without being tried again.
/// </summary>
internal sealed class FailureMemo
{
    private readonly Dictionary<JobShape, (int Gpus, Reason Reason)> _failed = [];
    private readonly Dictionary<JobShape, List<(int Gpus, long EndUnix, Reason Reason)>> _reserved = [];

    /// <summary>Whether a job of the shape with the job's GPUs, ending at <paramref name="endUnix"/>, is known to find no room.</summary>
    public bool TryGet(JobShape shape, JobSpec job, long endUnix, out Reason reason)
    {
        if (_failed.TryGetValue(shape, out var entry) && job.Gpus >= entry.Gpus)
        {
            reason = entry.Reason;
            return true;
        }
        return TryReserved(shape, job.Gpus, endUnix, out reason);
    }

    /// <summary>Bumped on every change to the want-of-room entries, so that a caller can tell whether a decision added one.</summary>
    public int Version { get; private set; }

    /// <summary>True when a job of the shape with <paramref name="gpus"/> GPUs would find the memo's want-of-room answer, <paramref name="code"/>.</summary>
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

    /// <summary>
    /// True when every job of the shape with <paramref name="gpus"/> GPUs ending at <paramref name="endUnix"/> or later
    /// would find the memo's answer that backfill reservations leave it no room.
    /// </summary>
    public bool CoversReserved(JobShape shape, int gpus, long endUnix) => TryReserved(shape, gpus, endUnix, out _);

    private bool TryReserved(JobShape shape, int gpus, long endUnix, out Reason reason)
    {
        if (_reserved.Count > 0 && _reserved.TryGetValue(shape, out var frontier))
        {
            foreach (var (g, end, why) in frontier)
            {
                if (gpus >= g && endUnix >= end)
                {
                    reason = why;
                    return true;
                }
            }
        }
        reason = default;
        return false;
    }

    /// <summary>The shapes in the memo with the smallest GPUs that failed for want of room, and why.</summary>
    public IEnumerable<(JobShape Shape, int Gpus, ReasonCode Code)> Entries => _failed.Select(e => (e.Key, e.Value.Gpus, e.Value.Reason.Code));

    public void Add(JobShape shape, JobSpec job, Reason reason)
    {
        if (!_failed.TryGetValue(shape, out var entry) || job.Gpus < entry.Gpus)
        {
            _failed[shape] = (job.Gpus, reason);
            Version++;
        }
    }

    /// <summary>A job of the shape, ending at <paramref name="endUnix"/>, was turned away by backfill reservations alone.</summary>
    public void AddReserved(JobShape shape, JobSpec job, long endUnix, Reason reason)
    {
        if (CoversReserved(shape, job.Gpus, endUnix))
        {
            return;
        }
        if (!_reserved.TryGetValue(shape, out var frontier))
        {
            _reserved[shape] = frontier = [];
        }
        frontier.RemoveAll(e => e.Gpus >= job.Gpus && e.EndUnix >= endUnix);
        frontier.Add((job.Gpus, endUnix, reason));
    }

    public void Clear()
    {
        _failed.Clear();
        _reserved.Clear();
        Version++;
    }
}
