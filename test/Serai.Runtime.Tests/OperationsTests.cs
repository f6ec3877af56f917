using Serai.Core.Jobs;
using Serai.Core.State;
using Serai.Runtime.Lifecycle;
using Serai.Runtime.Tests.Support;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>Operators' drains of a node and power saving, as the runtime applies them.</summary>
public class OperationsTests
{
    private static HubRuntime Runtime() => new(Build(), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new AtOnceEffects());

    [Fact]
    public void A_drained_node_takes_no_new_job_its_job_runs_on_and_a_requeue_sends_it_back_to_the_queue()
    {
        var runtime = Runtime();
        runtime.Submit(Job(1, 8, estimatedSeconds: null));
        runtime.EndInstant(May31);
        var first = runtime.State.Running[new JobId(1)].Placement.Nodes[0];
        runtime.SetNodeClosed(0, first, true);
        Assert.Single(runtime.State.Running);
        runtime.Submit(Job(2, 8, estimatedSeconds: null));
        runtime.Submit(Job(3, 8, estimatedSeconds: null));
        runtime.EndInstant(May31 + 1);
        Assert.Equal(1 - first, runtime.State.Running[new JobId(2)].Placement.Nodes[0]);
        Assert.False(runtime.State.Running.ContainsKey(new JobId(3)));

        runtime.EvictNode(0, first, StopCause.Drained);
        runtime.EndInstant(May31 + 2);
        Assert.False(runtime.State.Running.ContainsKey(new JobId(1)));
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[runtime.Jobs.SlotOf(new JobId(1))]);
        Assert.Equal(0, runtime.State.Pools[0].FreeGpus);

        runtime.SetNodeClosed(0, first, false);
        runtime.EndInstant(May31 + 3);
        Assert.Equal(8, runtime.State.Running.Values.Where(j => j.Placement.Nodes[0] == first).Sum(j => j.Placement.Gpus));
    }

    [Fact]
    public void A_suspended_node_draws_its_suspended_power_takes_no_work_and_a_resuming_one_draws_idle_power_before_it_takes_work()
    {
        var runtime = Runtime();
        var idle = runtime.State.SiteItWatts(0);
        Assert.Equal(2 * (8 * 80 + 3000), idle, 6);
        runtime.SetNodePower(0, 1, NodePower.Suspended, 100);
        Assert.Equal(idle - (8 * 80 + 3000 - 100), runtime.State.SiteItWatts(0), 6);
        Assert.Equal(8, runtime.State.Pools[0].FreeGpus);
        runtime.Submit(Job(1, 16, estimatedSeconds: null));
        runtime.EndInstant(May31);
        Assert.Empty(runtime.State.Running);

        runtime.SetNodePower(0, 1, NodePower.Resuming, 100);
        Assert.Equal(idle, runtime.State.SiteItWatts(0), 6);
        Assert.Equal(8, runtime.State.Pools[0].FreeGpus);
        runtime.SetNodePower(0, 1, NodePower.On, 0);
        runtime.EndInstant(May31 + 300);
        Assert.Equal(16, Assert.Single(runtime.State.Running).Value.Placement.Gpus);
        Assert.Throws<InvalidOperationException>(() => runtime.SetNodePower(0, 0, NodePower.Suspended, 100));
    }
}
