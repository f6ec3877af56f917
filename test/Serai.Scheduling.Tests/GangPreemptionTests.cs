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

    /// <summary>
    /// A failed victim search (of a gang, or of a single-node job) is kept across cycles while its pool stays as it was,
    /// but not once a tenant whose jobs there were protected by its guarantee holds more elsewhere: those jobs may then be
    /// victims.
    /// </summary>
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void A_kept_victim_search_is_done_again_when_a_protected_tenant_grows_on_another_pool(int gpus)
    {
        // two H200 pools: Astana's (KZ) and Termez's (UZ); tenants may borrow the whole hub
        var build = Build();
        var pools = build.Pools.Select(p => p.Index == Mi300Pool ? p with { Accelerator = build.Accelerators[0] } : p).ToArray();
        var tenants = build.Tenants.Select(t => t with { BorrowLimitGpus = 1000 }).ToArray();
        var hub = new HubModel(build.Name, build.Countries, build.Stacks, build.Accelerators, build.Sites, pools, build.Links, tenants,
            build.Datasets, build.ConfiguredAiSystems.Systems);
        var driver = Cycles.NewDriver(hub);
        var now = JanuaryNightUtc;
        driver.State.SetPoolClosed(Mi300Pool, true);
        // Astana full: the consortium's two low jobs hold exactly its guarantee (16), so no other tenant may stop them
        var low1 = Job(Consortium, 8, 1u << Cuda, PriorityClass.Low, id: 92_001);
        var low2 = Job(Consortium, 8, 1u << Cuda, PriorityClass.Low, id: 92_002);
        var own1 = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency, id: 92_003);
        var own2 = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency, id: 92_004);
        driver.Submit(now, low1, low2, own1, own2);
        Assert.Equal(0, driver.State.Pools[H200Pool].FreeGpus);

        // an emergency gang that must stay in Kazakhstan finds no victim
        var gang = Job(Ministry, gpus, 1u << Cuda, PriorityClass.Emergency, datasets: [KzCitizens], id: 92_005) with { GpusPerNode = 8 };
        var waiting = driver.Submit(now += 60, gang);
        Assert.DoesNotContain(waiting.Decisions, d => d.Kind == DecisionKind.Preempt);
        Assert.Equal(DecisionKind.Wait, waiting.For(gang).Kind);

        // the consortium starts 16 GPUs at Termez; Astana is unchanged, and in that cycle the gang still waits
        driver.State.SetPoolClosed(Mi300Pool, false);
        var grow = Job(Consortium, 16, 1u << Cuda, PriorityClass.Normal, id: 92_006);
        driver.Submit(now += 60, grow);
        Assert.Equal(Mi300Pool, driver.PoolOf(grow));
        Assert.Equal(32, driver.State.Allocated(Consortium, 0));

        // now the consortium holds twice its guarantee: both low jobs may go, and the job takes as many nodes as it needs
        var result = driver.Cycle(now += 60);
        var stopped = result.Decisions.Where(d => d.Kind == DecisionKind.Preempt).Select(d => d.Job).ToList();
        Assert.Equal(gpus / 8, stopped.Count);
        Assert.All(stopped, id => Assert.Contains(id, new[] { low1.Id, low2.Id }));
        Assert.Equal(DecisionKind.Place, result.For(gang).Kind);
    }
}
