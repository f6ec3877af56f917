using Serai.Core.Energy;
using Serai.Core.Model;

namespace Serai.Server.Tests;

/// <summary>Hubs built in code for tests: one small site with two 4-GPU nodes and two tenants.</summary>
public static class TestHubs
{
    public static HubModel Small()
    {
        var h100 = new Accelerator(0, "H100", "nvidia", "cuda", 0, 80, 989, 700, 80);
        var cooling = new CoolingModel(18, 6, 0.05, 0.04, 0.03, CoolingModel.RenewItCop, 1e6, 35, 0.01);
        var site = new Site(0, "lab", "KZ", 0, 5, 1e6, 5e5, cooling,
            HourlySeries.Constant(10), HourlySeries.Constant(500), HourlySeries.Constant(0.08), [0]);
        var pool = new NodePool(0, "gpus", 0, h100, 2, 4, 500, 2);
        var alpha = new Tenant(0, "alpha", [2], 8, 1, 1, PriorityClasses.AllMask);
        var beta = new Tenant(1, "beta", [2], 8, 1, 1, PriorityClass.Normal.Bit() | PriorityClass.Low.Bit());
        var data = new Dataset(0, "alpha-data", 0, 10, 0, 1);
        var systems = new[] { new AiSystem(0, "alpha-chat", 0, RiskClass.Minimal, true), new AiSystem(1, "beta-scoring", 1, RiskClass.High, false) };
        return new HubModel("test", ["KZ"], ["cuda"], [h100], [site], [pool], [], [alpha, beta], [data], systems);
    }
}
