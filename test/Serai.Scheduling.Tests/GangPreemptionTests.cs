using Serai.Core.Model;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

/// <summary>A multi-node gang preempts by class first, whole jobs, whatever its id (no sampling offset decides).</summary>
public class GangPreemptionTests
{
    /// <summary>The test hub with a 40-node H200 pool (320 GPUs) and tenants that may borrow all of it.</summary>
    private static HubModel BigPool()
    {
        var hub = Build();
        var pools = hub.Pools.Select(p => p.Index == H200Pool ? p with { Nodes = 40, NodesPerBlock = 8 } : p).ToArray();
        var tenants = hub.Tenants.Select(t => t with { BorrowLimitGpus = 1000 }).ToArray();
        return new HubModel(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators, hub.Sites, pools, hub.Links, tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4242)]
    public void An_emergency_gang_stops_only_the_preemptible_job_that_is_enough(long emergencyId)
    {
        var driver = Cycles.NewDriver(BigPool());
        var lowA = Job(Startup, 128, 1u << Cuda, PriorityClass.Low, id: 90_001);
        var preemptible = Job(Startup, 64, 1u << Cuda, PriorityClass.Preemptible, id: 90_002);
        var lowB = Job(Startup, 128, 1u << Cuda, PriorityClass.Low, id: 90_003);
        driver.Submit(JanuaryNightUtc, lowA, preemptible, lowB);
        Assert.Equal(3, driver.State.Running.Count);
        Assert.Equal(0, driver.State.Pools[H200Pool].FreeGpus);

        var flood = Job(Ministry, 64, 1u << Cuda, PriorityClass.Emergency, id: emergencyId);
        var result = driver.Submit(JanuaryNightUtc + 600, flood);

        Assert.Equal([preemptible.Id], result.Decisions.Where(d => d.Kind == DecisionKind.Preempt).Select(d => d.Job));
        Assert.Equal(DecisionKind.Place, result.For(flood).Kind);
        Assert.True(driver.State.Running.ContainsKey(lowA.Id) && driver.State.Running.ContainsKey(lowB.Id));
    }

    [Fact]
    public void Among_victims_of_one_class_the_one_losing_fewest_gpu_hours_goes()
    {
        var driver = Cycles.NewDriver(BigPool());
        var old = Job(Startup, 64, 1u << Cuda, PriorityClass.Low, id: 91_001);
        driver.Submit(JanuaryNightUtc, old);
        var checkpointed = Job(Startup, 128, 1u << Cuda, PriorityClass.Low, checkpointable: true, id: 91_002);
        var young = Job(Startup, 128, 1u << Cuda, PriorityClass.Low, id: 91_003);
        driver.Submit(JanuaryNightUtc + 3600, checkpointed, young);
        var flood = Job(Ministry, 64, 1u << Cuda, PriorityClass.Emergency, id: 91_004);
        var result = driver.Submit(JanuaryNightUtc + 7200, flood);
        // the checkpointable job loses nothing: it goes, although it is the largest
        Assert.Equal([checkpointed.Id], result.Decisions.Where(d => d.Kind == DecisionKind.Preempt).Select(d => d.Job));
    }
}
