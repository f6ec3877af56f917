using Serai.Core.Energy;
using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Runtime.Execution;

namespace Serai.Runtime.Tests.Support;

/// <summary>The runtime tests' hub: one site (kz-astana), one H100 pool of two nodes, one tenant that may use every class.</summary>
internal static class OneSiteHub
{
    public const long May31 = 1_780_185_600; // 2026-05-31T00:00Z

    /// <summary>A job of the hub's tenant on its stack, submitted at <see cref="May31"/>, estimated to run an hour unless told.</summary>
    public static JobSpec Job(long id, int gpus, long? estimatedSeconds = 3600) => new()
    {
        Id = new JobId(id), Tenant = 0, Gpus = gpus, StackMask = 1, SubmitUnix = May31, EstimatedSeconds = estimatedSeconds,
    };

    public static HubModel Build(int gpusPerNode = 8, params AiSystem[] aiSystems)
    {
        var h100 = new Accelerator(0, "H100", "NVIDIA", "cuda", 0, 80, 989, 700, 80);
        var cooling = new CoolingModel(17, 5, 0.04, 0.05, 0.02, CoolingModel.RenewItCop, 1e7, 35, 0.02);
        var site = new Site(0, "kz-astana", "KZ", 0, 5, 2e6, 1e6, cooling, HourlySeries.Constant(20), HourlySeries.Constant(500), HourlySeries.Constant(0.05), [0]);
        var pool = new NodePool(0, "h100", 0, h100, 2, gpusPerNode, 3000, 32);
        var tenant = new Tenant(0, "t", [0], 16, 1, ulong.MaxValue, PriorityClasses.All.Aggregate(0, (m, c) => m | c.Bit()));
        return new HubModel("test", ["KZ"], ["cuda"], [h100], [site], [pool], [], [tenant], [], aiSystems);
    }
}

/// <summary>A backend that confirms every start and stop at once.</summary>
internal sealed class AtOnceEffects : IRuntimeEffects
{
    public bool Dispatch(in JobDispatch dispatch) => true;

    public bool Stop(in JobStop stop) => true;

    public void Throttle(in JobThrottle throttle)
    {
    }
}

/// <summary>A backend that records every dispatch and stop and confirms them later (through the runtime's On… events).</summary>
internal sealed class LaterEffects : IRuntimeEffects
{
    public List<JobDispatch> Dispatches { get; } = [];
    public List<JobStop> Stops { get; } = [];

    public bool Dispatch(in JobDispatch dispatch)
    {
        Dispatches.Add(dispatch);
        return false;
    }

    public bool Stop(in JobStop stop)
    {
        Stops.Add(stop);
        return false;
    }

    public void Throttle(in JobThrottle throttle)
    {
    }
}
