namespace Serai.Scheduling.Profiles;

/// <summary>The profiles the simulator compares and the server can run.</summary>
public static class BuiltInProfiles
{
    /// <summary>First come, first served with head-of-line blocking: the baseline.</summary>
    public static readonly SchedulerProfile Fifo = new(
        "fifo", QueueOrderKind.Fifo, ScoreWeights.PackingOnly,
        StrictOrder: true, Backfill: false, ReservationDepth: 0, Preemption: false, Deferral: false,
        EnforceQuota: false, EnvelopeControl: true);

    /// <summary>Priority classes and fair share with quotas, backfill and preemption, but blind to energy.</summary>
    public static readonly SchedulerProfile PriorityFairShare = new(
        "priority-fairshare", QueueOrderKind.PriorityFairShare, ScoreWeights.PackingOnly,
        StrictOrder: false, Backfill: true, ReservationDepth: 4, Preemption: true, Deferral: false,
        EnforceQuota: true, EnvelopeControl: true);

    /// <summary>The full Serai policy: fair share, quotas, backfill, preemption, and power, cooling, carbon, price and locality aware.</summary>
    public static readonly SchedulerProfile Serai = new(
        "serai", QueueOrderKind.PriorityFairShare, new ScoreWeights(Packing: 1, EnergyPrice: 1, Carbon: 1, DataLocality: 1),
        StrictOrder: false, Backfill: true, ReservationDepth: 4, Preemption: true, Deferral: true,
        EnforceQuota: true, EnvelopeControl: true);

    /// <summary>Shortest job first with known durations: a bound on what ordering alone can give.</summary>
    public static readonly SchedulerProfile ShortestJobFirst = new(
        "sjf", QueueOrderKind.ShortestJobFirst, ScoreWeights.PackingOnly,
        StrictOrder: false, Backfill: true, ReservationDepth: 4, Preemption: false, Deferral: false,
        EnforceQuota: false, EnvelopeControl: true);

    public static readonly IReadOnlyList<SchedulerProfile> All = [Fifo, PriorityFairShare, Serai, ShortestJobFirst];

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    public static SchedulerProfile? ByName(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
