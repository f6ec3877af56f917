using Serai.Core.Jobs;
using Serai.Runtime.Lifecycle;
using Serai.Scheduling;
using Serai.Scheduling.Profiles;
using Serai.Runtime.Tests.Support;

using static Serai.Runtime.Tests.Support.OneSiteHub;

namespace Serai.Runtime.Tests;

/// <summary>GPUs a site reports taken by work Serai did not place (or on drained nodes) are not Serai's to place.</summary>
public class SiteUseTests
{
    private static HubRuntime Runtime() =>
        new(Build(gpusPerNode: 4), new Scheduler(BuiltInProfiles.PriorityFairShare), new RuntimeOptions(), May31, new AtOnceEffects());

    [Fact]
    public void Gpus_taken_outside_serai_per_node_are_not_placed_on_and_their_release_lets_the_queue_in()
    {
        var runtime = Runtime();
        runtime.Submit(Job(1, 2));
        runtime.EndInstant(May31);
        Assert.Equal(JobPhase.Running, runtime.Jobs.Phase[0]);
        var node = runtime.State.Running[new JobId(1)].Placement.Nodes[0];

        // Slurm: node of job 1 has 4 taken (2 of them ours), the other node 3 taken by a direct submission
        var notFree = new int[2];
        notFree[node] = 4;
        notFree[1 - node] = 3;
        runtime.ObserveSiteUse(0, notFree, 7);
        Assert.Equal(1, runtime.State.Pools[0].FreeGpus);
        Assert.Equal(5, runtime.State.Pools[0].HeldOutsideTotal);

        runtime.Submit(Job(2, 2));
        runtime.EndInstant(May31 + 10);
        Assert.Equal(JobPhase.Pending, runtime.Jobs.Phase[1]);

        notFree[1 - node] = 0;
        runtime.ObserveSiteUse(0, notFree, 4);
        runtime.EndInstant(May31 + 20);
        Assert.Equal(JobPhase.Running, runtime.Jobs.Phase[1]);
        Assert.Equal(1 - node, runtime.State.Running[new JobId(2)].Placement.Nodes[0]);
    }

    [Fact]
    public void Our_own_jobs_the_site_has_not_started_or_already_ended_never_count_as_outside()
    {
        var runtime = Runtime();
        runtime.Submit(Job(1, 4));
        runtime.EndInstant(May31);
        // the site has not seen job 1 yet: nothing taken there
        runtime.ObserveSiteUse(0, [0, 0], 0);
        Assert.Equal(0, runtime.State.Pools[0].HeldOutsideTotal);
        Assert.Equal(4, runtime.State.Pools[0].FreeGpus);
    }

    [Fact]
    public void Without_node_names_a_total_goes_on_the_highest_nodes_and_is_clamped_to_what_is_free()
    {
        var runtime = Runtime();
        runtime.ObserveSiteUse(0, null, 6);
        Assert.Equal(0, runtime.State.Pools[0].FreeOnNode(1));
        Assert.Equal(2, runtime.State.Pools[0].FreeOnNode(0));
        runtime.ObserveSiteUse(0, null, 99);
        Assert.Equal(0, runtime.State.Pools[0].FreeGpus);
        Assert.Equal(8, runtime.State.Pools[0].HeldOutsideTotal);
        runtime.ObserveSiteUse(0, null, 0);
        Assert.Equal(8, runtime.State.Pools[0].FreeGpus);
    }

}
