using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Core.Energy;
using Serai.Runtime.Execution;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

namespace Serai.Runtime.Tests;

/// <summary>The AI-system registry lives beside the hub model: approvals and registrations change it, never the model.</summary>
public class AiSystemRegistryTests
{
    private const long May31 = 1_780_185_600;

    private static HubModel Hub(params AiSystem[] systems)
    {
        var h100 = new Accelerator(0, "H100", "NVIDIA", "cuda", 0, 80, 989, 700, 80);
        var cooling = new CoolingModel(17, 5, 0.04, 0.05, 0.02, CoolingModel.RenewItCop, 1e7, 35, 0.02);
        var site = new Site(0, "kz-astana", "KZ", 0, 5, 2e6, 1e6, cooling, HourlySeries.Constant(20), HourlySeries.Constant(500), HourlySeries.Constant(0.05), [0]);
        var pool = new NodePool(0, "h100", 0, h100, 2, 8, 3000, 32);
        var tenant = new Tenant(0, "t", [0], 16, 1, ulong.MaxValue, PriorityClasses.All.Aggregate(0, (m, c) => m | c.Bit()));
        return new HubModel("test", ["KZ"], ["cuda"], [h100], [site], [pool], [], [tenant], [], systems);
    }

    [Fact]
    public void An_approval_lets_the_waiting_job_start_and_leaves_the_hub_model_and_usage_as_they_were()
    {
        var hub = Hub(new AiSystem(0, "flood-warning", 0, RiskClass.High, Approved: false));
        var runtime = new HubRuntime(hub, new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new AtOnce());
        runtime.Submit(new JobSpec { Id = new JobId(1), Tenant = 0, Gpus = 8, StackMask = 1, SubmitUnix = May31, AiSystem = 0, EstimatedSeconds = 3600 });
        runtime.Submit(new JobSpec { Id = new JobId(2), Tenant = 0, Gpus = 8, StackMask = 1, SubmitUnix = May31, EstimatedSeconds = 3600 });
        runtime.EndInstant(May31);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[0]);
        Assert.NotEqual(JobPhase.Pending, runtime.Jobs.Phase[1]);
        runtime.AdvanceTo(May31 + 3600);
        runtime.State.AdvanceUsage(May31 + 3600);
        var usageBefore = runtime.State.DecayedGpuSeconds(0);
        Assert.True(usageBefore > 0);

        runtime.ReplaceAiSystems(new AiSystemRegistry([hub.ConfiguredAiSystems[0] with { Approved = true }]));
        runtime.EndInstant(May31 + 3600);

        Assert.Same(hub, runtime.Hub);
        Assert.False(hub.ConfiguredAiSystems[0].Approved);
        Assert.True(runtime.AiSystems[0].MayRun);
        Assert.NotEqual(JobPhase.Pending, runtime.Jobs.Phase[0]);
        Assert.Equal(usageBefore, runtime.State.DecayedGpuSeconds(0));
    }

    [Fact]
    public void A_registry_that_drops_or_moves_a_registered_system_is_refused()
    {
        var hub = Hub(new AiSystem(0, "a", 0, RiskClass.Minimal, false), new AiSystem(1, "b", 0, RiskClass.Minimal, false));
        var runtime = new HubRuntime(hub, new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new AtOnce());
        Assert.Throws<ArgumentException>(() => runtime.ReplaceAiSystems(new AiSystemRegistry([new AiSystem(0, "a", 0, RiskClass.Minimal, false)])));
        Assert.Throws<ArgumentException>(() => runtime.ReplaceAiSystems(new AiSystemRegistry(
            [new AiSystem(0, "b", 0, RiskClass.Minimal, false), new AiSystem(1, "a", 0, RiskClass.Minimal, false)])));
        runtime.ReplaceAiSystems(new AiSystemRegistry([.. hub.ConfiguredAiSystems.Systems, new AiSystem(2, "c", 0, RiskClass.High, false)]));
        Assert.Equal(3, runtime.AiSystems.Count);
        Assert.Equal(2, runtime.AiSystems.IndexOf("C"));
        Assert.Throws<ArgumentException>(() => new AiSystemRegistry([new AiSystem(0, "a", 0, RiskClass.Minimal, false), new AiSystem(1, "A", 0, RiskClass.Minimal, false)]));
    }

    /// <summary>A backend that confirms every start and stop at once.</summary>
    private sealed class AtOnce : IRuntimeEffects
    {
        public bool Dispatch(in JobDispatch dispatch) => true;

        public bool Stop(in JobStop stop) => true;

        public void Throttle(in JobThrottle throttle)
        {
        }
    }
}
