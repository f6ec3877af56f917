using Serai.Core.Model;
using Serai.Scheduling.Profiles;
using Serai.Simulation.Engine;
using Serai.Simulation.Hubs;
using Serai.Simulation.Running;
using Serai.Simulation.Traces;
using Serai.Simulation.Workloads;

namespace Serai.Simulation.Tests.Support;

/// <summary>End-to-end runs through the real scheduler, shared by tests.</summary>
internal static class Runs
{
    public static HubModel SampleHub() => SampleHubs.Itp(512);

    public static Workload Sample(HubModel hub, int seed = 42) =>
        WorkloadLoader.FromTraces(hub, [TestHubs.SampleFolder()], TraceFormat.Itp, new TraceMapping { Seed = seed }, BadRowPolicy.Fail, TestHubs.Start).Workload;

    public static RunResult Run(HubModel hub, Workload workload, SchedulerProfile profile, Serai.Simulation.Scenarios.Scenario? scenario = null, long start = TestHubs.Start) =>
        scenario is null
            ? SimulationRunner.Run(hub, workload, profile, new SimulationOptions { StartUnix = start })
            : SimulationRunner.RunWithScenario(hub, workload, profile, new SimulationOptions { StartUnix = start }, scenario);
}
