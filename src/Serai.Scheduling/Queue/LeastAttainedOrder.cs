using Serai.Core.Jobs;
using Serai.Scheduling.Plugins;
using Serai.Scheduling.Preemption;

namespace Serai.Scheduling.Queue;

/// <summary>
/// Tiresias' discretised least attained service (<c>least-attained</c>): priority class, then the service level of
/// the GPU-time a job received in earlier runs (<see cref="LeastAttainedPreemption.Level"/>), then submit time. It
/// tells the <c>least-attained</c> preemption the level of each job it hands out, through a per-thread table that
/// lives for one cycle (a cycle orders, places and preempts on one thread).
/// </summary>
public sealed class LeastAttainedOrder : IQueueOrder
{
    [ThreadStatic]
    private static Dictionary<JobId, int>? t_levels;

    public string Name => "least-attained";

    /// <summary>The level of a job this thread's current cycle ordered; 0 for a job it did not see.</summary>
    public static int LevelOf(JobId job) => t_levels is { } levels && levels.TryGetValue(job, out var level) ? level : 0;

    public IEnumerable<PendingJob> Order(ISchedulingView view, IReadOnlyList<PendingJob> queue)
    {
        var levels = t_levels ??= [];
        levels.Clear();
        foreach (var job in queue)
        {
            if (job.AttainedGpuSeconds > 0)
            {
                levels[job.Id] = LeastAttainedPreemption.Level(job.AttainedGpuSeconds);
            }
        }
        return QueueOrders.Sorted(queue, Comparer<PendingJob>.Create((x, y) =>
        {
            var c = ((int)y.Spec.Priority).CompareTo((int)x.Spec.Priority);
            if (c == 0)
            {
                c = LeastAttainedPreemption.Level(x.AttainedGpuSeconds).CompareTo(LeastAttainedPreemption.Level(y.AttainedGpuSeconds));
            }
            return c != 0 ? c : QueueOrders.FifoComparer.Instance.Compare(x, y);
        }));
    }
}
