using Serai.Core.Energy;
using Serai.Core.Model;

namespace Serai.Server.Tests.Operations;

/// <summary>
/// Hubs for live site operations: Termez (UZ, 20 °C modelled, a 7.5 kW grid connection that two 4-GPU jobs at 0.8 of TDP
/// fit at PUE(20 °C) ≈ 1.20 but not at PUE(46 °C) ≈ 1.55) and Almaty (KZ, 10 °C, a large grid); one pool of two 4-GPU H100
/// nodes each; two tenants that may use both countries and borrow up to 16 GPUs.
/// </summary>
public static class OpsHubs
{
    public const double TermezGridWatts = 7500;

    private static readonly Accelerator H100 = new(0, "H100", "nvidia", "cuda", 0, 80, 989, 700, 80);

    private static Site Site(int index, string name, string country, double temperatureC, double gridWatts, int[] pools) =>
        new(index, name, country, index, 5, gridWatts, 1e5, new CoolingModel(18, 6, 0.05, 0.04, 0.03, CoolingModel.RenewItCop, 1e6, 35, 0.01),
            HourlySeries.Constant(temperatureC), HourlySeries.Constant(400), HourlySeries.Constant(0.08), pools);

    private static Tenant[] Tenants() =>
    [
        new(0, "alpha", [2], 16, 1, 3, PriorityClasses.AllMask),
        new(1, "beta", [2], 16, 1, 3, PriorityClasses.AllMask),
    ];

    /// <summary>Termez alone: work cannot move, so heat is met by throttling or preemption.</summary>
    public static HubModel Termez() => new("ops-termez", ["UZ"], ["cuda"], [H100],
        [Site(0, "termez", "UZ", 20, TermezGridWatts, [0])], [new NodePool(0, "gpus", 0, H100, 2, 4, 500, 2)],
        [], [new(0, "alpha", [2], 16, 1, 1, PriorityClasses.AllMask), new(1, "beta", [2], 16, 1, 1, PriorityClasses.AllMask)], [], []);

    /// <summary>
    /// Termez on a 5 kW grid connection (one 4-GPU job fits at PUE(20 °C), two do not) and Almaty; alpha owns a dataset
    /// that may be processed only in Kazakhstan: waits name the rule that keeps Termez's free GPUs from a job.
    /// </summary>
    public static HubModel Reasons() => new("ops-reasons", ["UZ", "KZ"], ["cuda"], [H100],
        [Site(0, "termez", "UZ", 20, 5000, [0]), Site(1, "almaty", "KZ", 10, 1e6, [1])],
        [new NodePool(0, "gpus", 0, H100, 2, 4, 500, 2), new NodePool(1, "gpus", 1, H100, 2, 4, 500, 2)],
        [], Tenants(), [new Dataset(0, "kz-health", 0, 10, 1, 0b10)], []);

    /// <summary>Termez and Almaty: a drained or downed site's work can move to the other.</summary>
    public static HubModel TwoSites() => new("ops-two", ["UZ", "KZ"], ["cuda"], [H100],
        [Site(0, "termez", "UZ", 20, 1e6, [0]), Site(1, "almaty", "KZ", 10, 1e6, [1])],
        [new NodePool(0, "gpus", 0, H100, 2, 4, 500, 2), new NodePool(1, "gpus", 1, H100, 2, 4, 500, 2)],
        [], Tenants(), [], []);
}
