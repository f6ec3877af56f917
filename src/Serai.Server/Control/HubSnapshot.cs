namespace Serai.Server.Control;

/// <summary>GPUs of one accelerator model at a site.</summary>
/// <remarks><see cref="HeldOutside"/>: GPUs the site's own manager reports taken by work Serai did not place, or on
/// nodes its admins drained; they count in <see cref="Used"/> and Serai places nothing on them.</remarks>
public sealed record GpuModelNow(string Model, string Vendor, int Total, int Used, int Free, int HeldOutside = 0);

/// <summary>A site's envelope and use now; <see cref="Down"/> when it takes no new work (down, or its manager unreachable).</summary>
public sealed record SiteNow(
    string Name,
    string Country,
    double OutdoorTemperatureC,
    double Pue,
    double CarbonGPerKwh,
    double PriceUsdPerKwh,
    double ItWatts,
    double ItCapWatts,
    double ItLimitWatts,
    double GridWatts,
    double FacilityWatts,
    bool Down,
    IReadOnlyList<GpuModelNow> Gpus)
{
    /// <summary>Where the figures come from (measured, modelled, stale, override) and the operator's override in force.</summary>
    public Operations.SiteSources? Sources { get; init; }

    /// <summary>The site's own manager (its Slurm controller) does not answer: its jobs run on, unseen, and nothing new goes there.</summary>
    public bool Unreachable { get; init; }
}

/// <summary>A tenant's use of one accelerator model against its guarantee.</summary>
public sealed record TenantModelUse(string Model, int GuaranteedGpus, int AllocatedGpus);

/// <summary>A tenant's use now against its quota and fair share.</summary>
public sealed record TenantNow(
    string Name,
    int GuaranteedGpus,
    int BorrowLimitGpus,
    int AllocatedGpus,
    int BorrowedGpus,
    double FairShareWeight,
    double EntitlementGpus,
    double FairShare,
    double DecayedGpuHours,
    int PendingJobs,
    int RunningJobs,
    IReadOnlyList<TenantModelUse> ByModel);

/// <summary>Counters of the control loop since start, for /metrics.</summary>
public sealed record LoopCounters(long Cycles, double CycleSecondsSum, double LastCycleSeconds, long Placed, long Preempted, long Rejected, long Throttled, long Deferred, long Completed, long DispatchFailures);

/// <summary>What the control loop published after its last step; read by the API without locks.</summary>
public sealed record HubSnapshot(long AtUnix, IReadOnlyList<SiteNow> Sites, IReadOnlyList<TenantNow> Tenants, int PendingJobs, int RunningJobs, LoopCounters Counters)
{
    public static readonly HubSnapshot Empty = new(0, [], [], 0, 0, new LoopCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

    /// <summary>What running jobs have used since they started, up to <see cref="AtUnix"/> (not yet in the database).</summary>
    public IReadOnlyList<Persistence.UsageSegment> RunningUsage { get; init; } = [];
}
