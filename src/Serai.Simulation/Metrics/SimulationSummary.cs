namespace Serai.Simulation.Metrics;

/// <summary>The figures of one run (summary.json): times in seconds, energy in MWh, carbon in tonnes, cost in USD.</summary>
public sealed record SimulationSummary
{
    public required string Policy { get; init; }
    public required string Hub { get; init; }
    public required int HubGpus { get; init; }
    public required string Scenario { get; init; }
    public required int Jobs { get; init; }
    public required int Completed { get; init; }
    public required int Rejected { get; init; }
    public required int Unfinished { get; init; }
    public required Distribution JctSeconds { get; init; }
    public required Distribution QueueingDelaySeconds { get; init; }
    public required double DeferrableMeanJctSeconds { get; init; }
    public required long MakespanSeconds { get; init; }
    /// <summary>Busy GPU-seconds over all GPUs × the run (first event to last): the same for every policy when one long job sets the end.</summary>
    public required double UtilisationHub { get; init; }

    /// <summary>
    /// Utilisation over the busy window: busy GPUs over all GPUs during the instants at which some job waited in the
    /// queue. A policy that leaves GPUs idle while work waits (head-of-line blocking) scores lower; 0 when nothing waited.
    /// </summary>
    public double UtilisationBusyWindow { get; init; }

    /// <summary>Hours during which some job waited (the busy window).</summary>
    public double BusyWindowHours { get; init; }

    /// <summary>GPU-hours the jobs held, lost work included.</summary>
    public double GpuHoursHeld { get; init; }

    /// <summary>GPU-hours of reference work delivered: completed jobs' GPUs × their trace durations.</summary>
    public double ReferenceGpuHoursDelivered { get; init; }

    /// <summary>The jobs' own carbon (kg, PUE included) per GPU-hour of reference work delivered.</summary>
    public double JobCarbonKgPerReferenceGpuHour { get; init; }

    /// <summary>The hub's carbon (kg, idle draw included) per GPU-hour of reference work delivered.</summary>
    public double HubCarbonKgPerReferenceGpuHour { get; init; }
    public required double ItEnergyMwh { get; init; }
    public required double FacilityEnergyMwh { get; init; }
    public required double MeanPue { get; init; }
    public required double CarbonTonnes { get; init; }
    public required double CostUsd { get; init; }

    /// <summary>The jobs' own GPU energy (no idle draw, no node overhead), comparable across policies whose makespans differ.</summary>
    public required double JobEnergyMwh { get; init; }

    /// <summary>Carbon of the jobs' own GPU energy including PUE.</summary>
    public required double JobCarbonTonnes { get; init; }

    public required IReadOnlyList<SiteFigures> Sites { get; init; }
    public required IReadOnlyList<TenantFigures> Tenants { get; init; }
    /// <summary>Jain's index over tenants' GPU-time share against entitlement, for the whole run.</summary>
    public required double JainFairness { get; init; }

    /// <summary>
    /// Jain's index over tenants' service rate (1 / mean slowdown, slowdown = JCT / run time): 1 when every tenant's jobs
    /// are slowed down alike. Unlike <see cref="JainFairness"/> it tells policies apart when all work finishes.
    /// </summary>
    public required double JainSlowdownFairness { get; init; }
    public required long Preemptions { get; init; }
    public required long Throttles { get; init; }
    public required long Deferrals { get; init; }
    public required long FailureRequeues { get; init; }
    public required double LostWorkGpuHours { get; init; }
    public required Distribution EmergencyStartLatencySeconds { get; init; }
    public required ViolationFigures Violations { get; init; }
    public required IReadOnlyList<string> ViolationMessages { get; init; }
    public required EngineFigures Engine { get; init; }
    public VendorCutoffFigures? VendorCutoff { get; init; }
    public HeatWaveFigures? HeatWave { get; init; }
}

/// <summary>One site's share of the run.</summary>
public sealed record SiteFigures(string Name, int Gpus, double Utilisation, double ItEnergyMwh, double FacilityEnergyMwh, double MeanPue, double CarbonTonnes, double CostUsd, double MaxFacilityOverGrid);

/// <summary>A tenant's use against its entitlement (fair-share weight over all weights).</summary>
public sealed record TenantFigures(string Name, int Jobs, double GpuHours, double Share, double Entitlement, double ShareOverEntitlement, double MeanJctSeconds);

/// <summary>Safety rules broken (all must be 0), counted by an observer independent of the scheduler.</summary>
public sealed record ViolationFigures(long Capacity, long PowerCap, long Cooling, long Grid, long Residency, long HighRisk, long Stack, long InvalidDecisions)
{
    public long Total => Capacity + PowerCap + Cooling + Grid + Residency + HighRisk + Stack + InvalidDecisions;
}

/// <summary>How much work the engine did.</summary>
public sealed record EngineFigures(long Events, long Cycles, long CyclesSkipped, long Placements);

/// <summary>What a vendor cut-off cost: GPUs lost, jobs stranded per tenant (no other vendor runs their stacks) and delay added against the same run without it.</summary>
public sealed record VendorCutoffFigures(string Vendor, long AtUnix, bool Disappear, int GpusLost, double CapacityLostShare,
    IReadOnlyDictionary<string, int> StrandedJobsByTenant, int StrandedJobs, double MeanJctAddedSeconds, double MeanQueueingAddedSeconds, int UnfinishedAdded);

/// <summary>A heat wave at one site: its share of GPU-hours during the wave against the same run without it, and facility power against the grid.</summary>
public sealed record HeatWaveFigures(string Site, long FromUnix, long ToUnix, double OffsetC, double HotSiteShareDuring, double BaselineHotSiteShareDuring, double MaxFacilityOverGrid, long Throttles, long Preemptions);
