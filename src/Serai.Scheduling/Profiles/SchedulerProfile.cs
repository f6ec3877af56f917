namespace Serai.Scheduling.Profiles;

/// <summary>How the queue is ordered.</summary>
public enum QueueOrderKind
{
    /// <summary>Submit time only.</summary>
    Fifo,

    /// <summary>Priority class, then fair share (decayed usage against weighted entitlement), then submit time.</summary>
    PriorityFairShare,

    /// <summary>Priority class, then estimated duration (shortest first), then submit time; a bound that needs known durations.</summary>
    ShortestJobFirst,
}

/// <summary>Weights of the placement scores; each score is normalised to 0..100 over the candidate pools.</summary>
public sealed record ScoreWeights(double Packing, double EnergyPrice, double Carbon, double DataLocality)
{
    public static readonly ScoreWeights PackingOnly = new(1, 0, 0, 0);
}

/// <summary>
/// A scheduling profile: which plugins run and how they are weighted. Safety filters (capacity, power, cooling,
/// residency, high-risk approval) always run; a profile cannot turn them off.
/// </summary>
public sealed record SchedulerProfile(
    string Name,
    QueueOrderKind QueueOrder,
    ScoreWeights Weights,
    bool StrictOrder,
    bool Backfill,
    int ReservationDepth,
    bool Preemption,
    bool Deferral,
    bool EnforceQuota,
    bool EnvelopeControl)
{
    /// <summary>Minimum power fraction a running job may be throttled to before preemption is used.</summary>
    public double ThrottleFloor { get; init; } = 0.6;

    /// <summary>A deferral must improve the carbon-and-price score by at least this share.</summary>
    public double DeferralMinGain { get; init; } = 0.1;

    /// <summary>Hours ahead that deferral looks for a better hour.</summary>
    public int DeferralHorizonHours { get; init; } = 24;
}
