namespace Serai.Simulation.Scenarios;

/// <summary>What a scenario step does to the hub.</summary>
public enum StepKind
{
    HeatWaveOn,
    HeatWaveOff,
    GridCapOn,
    GridCapOff,
    SiteDown,
    SiteUp,
    NodeDown,
    NodeUp,

    /// <summary>The vendor's pools take no new work; running work goes on.</summary>
    VendorClosed,

    /// <summary>The vendor's accelerators disappear: jobs on them are requeued and their nodes go down.</summary>
    VendorGone,
}

/// <summary>One timed step of a scenario; <see cref="Value"/> is °C for heat waves and IT watts for grid caps.</summary>
public sealed record ScenarioStep(long AtUnix, StepKind Kind, int Site = -1, int Pool = -1, int Node = -1, double Value = 0, string? Vendor = null);

/// <summary>A heat wave: <see cref="OffsetC"/> added to the outdoor temperature at a site over a period.</summary>
public sealed record HeatWave(int Site, long FromUnix, long ToUnix, double OffsetC);

/// <summary>From <see cref="AtUnix"/> a vendor's accelerators take no new work (or disappear).</summary>
public sealed record VendorCutoff(string Vendor, long AtUnix, bool Disappear);

/// <summary>A set of what-if events for one run, and what the report needs to know about them.</summary>
public sealed record Scenario(string Name, IReadOnlyList<ScenarioStep> Steps, IReadOnlyList<HeatWave> HeatWaves, IReadOnlyList<VendorCutoff> VendorCutoffs)
{
    public static readonly Scenario None = new("none", [], [], []);

    public bool IsNone => Steps.Count == 0;
}
