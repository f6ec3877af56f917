using Serai.Core.Jobs;
using Serai.Core.Model;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;
using Serai.Runtime.Tests.Support;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>The AI-system registry lives beside the hub model: approvals and registrations change it, never the model.</summary>
public class AiSystemRegistryTests
{
    [Fact]
    public void An_approval_lets_the_waiting_job_start_and_leaves_the_hub_model_and_usage_as_they_were()
    {
        var hub = Build(8, new AiSystem(0, "flood-warning", 0, RiskClass.High, Approved: false));
        var runtime = new HubRuntime(hub, new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new AtOnceEffects());
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
        var hub = Build(8, new AiSystem(0, "a", 0, RiskClass.Minimal, false), new AiSystem(1, "b", 0, RiskClass.Minimal, false));
        var runtime = new HubRuntime(hub, new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new AtOnceEffects());
        Assert.Throws<ArgumentException>(() => runtime.ReplaceAiSystems(new AiSystemRegistry([new AiSystem(0, "a", 0, RiskClass.Minimal, false)])));
        Assert.Throws<ArgumentException>(() => runtime.ReplaceAiSystems(new AiSystemRegistry(
            [new AiSystem(0, "b", 0, RiskClass.Minimal, false), new AiSystem(1, "a", 0, RiskClass.Minimal, false)])));
        runtime.ReplaceAiSystems(new AiSystemRegistry([.. hub.ConfiguredAiSystems.Systems, new AiSystem(2, "c", 0, RiskClass.High, false)]));
        Assert.Equal(3, runtime.AiSystems.Count);
        Assert.Equal(2, runtime.AiSystems.IndexOf("C"));
        Assert.Throws<ArgumentException>(() => new AiSystemRegistry([new AiSystem(0, "a", 0, RiskClass.Minimal, false), new AiSystem(1, "A", 0, RiskClass.Minimal, false)]));
    }

}
