using Serai.Core.Jobs;

namespace Serai.Scheduling.Backfill;

/// <summary>
/// Nodes held for a blocked job from <see cref="StartUnix"/>, when running jobs' estimates say they will be free.
/// A later job may use these nodes only if it is expected to end by then (EASY backfill, node by node).
/// </summary>
public sealed record Reservation(JobId Job, int Pool, long StartUnix, IReadOnlySet<int> Nodes);
