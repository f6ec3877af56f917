namespace Serai.Scheduling.Profiles;

/// <summary>The profiles the simulator compares and the server can run, written as plugin names and weights.</summary>
public static class BuiltInProfiles
{
    /// <summary>First come, first served with head-of-line blocking: the baseline.</summary>
    public static readonly SchedulerProfile Fifo = new("fifo")
    {
        QueueOrder = "fifo",
        StrictOrder = true,
        Scores = SchedulerProfile.ScoreMap(("packing", 1)),
    };

    /// <summary>Priority classes and fair share with quotas, backfill and preemption, but blind to energy.</summary>
    public static readonly SchedulerProfile PriorityFairShare = new("priority-fairshare")
    {
        QueueOrder = "priority-fairshare",
        Filters = ["quota"],
        Scores = SchedulerProfile.ScoreMap(("packing", 1)),
        ReservationDepth = 4,
        Preemption = "priority-reclaim",
    };

    /// <summary>The full Serai policy: fair share, quotas, backfill, preemption, and power, cooling, carbon, price and locality aware.</summary>
    public static readonly SchedulerProfile Serai = PriorityFairShare with
    {
        Name = "serai",
        Scores = SchedulerProfile.ScoreMap(("packing", 1), ("energy-price", 1), ("carbon", 1), ("data-locality", 1)),
        Deferral = new DeferralSettings("carbon", MinGain: 0.1, HorizonHours: 24),
    };

    /// <summary>Shortest job first with known durations: a bound on what ordering alone can give.</summary>
    public static readonly SchedulerProfile ShortestJobFirst = new("sjf")
    {
        QueueOrder = "sjf",
        Scores = SchedulerProfile.ScoreMap(("packing", 1)),
        ReservationDepth = 4,
    };

    /// <summary>
    /// Slurm's default shape: priority order (the QOS class, then submit time), EASY backfill (one reservation, for
    /// the first job that cannot start), no preemption and no energy or carbon awareness. The baseline to compare with.
    /// </summary>
    public static readonly SchedulerProfile Slurm = new("slurm")
    {
        QueueOrder = "priority",
        Scores = SchedulerProfile.ScoreMap(("packing", 1)),
        ReservationDepth = 1,
    };

    /// <summary>Shortest remaining time first: shortest estimate first, EASY backfill, and a shorter job preempts longer-running checkpointable ones.</summary>
    public static readonly SchedulerProfile ShortestRemainingTimeFirst = Slurm with
    {
        Name = "srtf",
        QueueOrder = "sjf",
        Preemption = "shortest-remaining",
    };

    /// <summary>Tiresias-like least attained service: the least served first, EASY backfill, and jobs that received more GPU-time give way (checkpointable ones).</summary>
    public static readonly SchedulerProfile LeastAttainedService = Slurm with
    {
        Name = "las",
        QueueOrder = "least-attained",
        Preemption = "least-attained",
    };

    public static readonly IReadOnlyList<SchedulerProfile> All = [Fifo, PriorityFairShare, Serai, ShortestJobFirst, Slurm, ShortestRemainingTimeFirst, LeastAttainedService];

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    public static SchedulerProfile? ByName(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
