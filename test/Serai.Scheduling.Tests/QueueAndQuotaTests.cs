using Serai.Core.Model;
using Serai.Scheduling.Profiles;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

public class QueueAndQuotaTests
{
    [Fact]
    public void Higher_priority_classes_go_first_whatever_their_submit_time()
    {
        var driver = Cycles.NewDriver();
        var normal = Job(Consortium, 32, 1u << Cuda, submit: 1);
        var emergency = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency, submit: 2);
        var result = driver.Submit(JanuaryNightUtc, normal, emergency);
        Assert.Equal(DecisionKind.Place, result.For(emergency).Kind);
        Assert.NotEqual(DecisionKind.Place, result.For(normal).Kind);
    }

    [Fact]
    public void Within_a_class_the_tenant_with_less_recent_use_goes_first()
    {
        var driver = Cycles.NewDriver();
        var earlier = Job(Consortium, 8, 1u << Cuda, estimate: 86400);
        driver.Submit(JanuaryNightUtc, earlier);
        driver.State.AdvanceUsage(JanuaryNightUtc + 86400);
        driver.Complete(earlier.Id);
        var heavyUser = Job(Consortium, 32, 1u << Cuda, submit: 1);
        var newcomer = Job(Startup, 32, 1u << Cuda, submit: 2);
        var result = driver.Submit(JanuaryNightUtc + 86400, heavyUser, newcomer);
        Assert.Equal(DecisionKind.Place, result.For(newcomer).Kind);
        Assert.NotEqual(DecisionKind.Place, result.For(heavyUser).Kind);
    }

    [Fact]
    public void Fair_share_usage_decays_with_its_half_life()
    {
        var state = new Core.State.HubState(Build(), 0, fairShareHalfLifeSeconds: 3600);
        state.Start(new Core.Jobs.RunningJob(Job(Startup, 8, 1u << Cuda), new Core.Jobs.Placement(H200Pool, [0], [0xFF]), 0, 0.8));
        state.AdvanceUsage(3600);
        var held = state.DecayedGpuSeconds(Startup);
        Assert.Equal(8 * 3600 / Math.Log(2) * 0.5, held, 1);
        state.Release(state.Running.Keys.Single());
        state.AdvanceUsage(7200);
        Assert.Equal(held / 2, state.DecayedGpuSeconds(Startup), 1);
    }

    [Fact]
    public void FIFO_blocks_the_queue_behind_its_head()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.Fifo);
        var filler = Job(Consortium, 24, 1u << Cuda, submit: 1);
        var head = Job(Startup, 16, 1u << Cuda, submit: 2);
        var small = Job(Startup, 1, 1u << Cuda, submit: 3);
        var result = driver.Submit(JanuaryNightUtc, filler, head, small);
        Assert.Equal(ReasonCode.BehindHead, result.For(small).Reason.Code);
    }

    [Fact]
    public void Shortest_job_first_orders_by_estimate()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.ShortestJobFirst);
        var longJob = Job(Startup, 32, 1u << Cuda, submit: 1, estimate: 7200);
        var shortJob = Job(Startup, 32, 1u << Cuda, submit: 2, estimate: 600);
        var result = driver.Submit(JanuaryNightUtc, longJob, shortJob);
        Assert.Equal(DecisionKind.Place, result.For(shortJob).Kind);
    }

    [Fact]
    public void Borrowing_stops_at_the_tenant_limit()
    {
        var driver = Cycles.NewDriver();
        var guaranteedCuda = Job(Consortium, 16, 1u << Cuda, submit: 1);
        var guaranteedRocm = Job(Consortium, 8, 1u << Rocm, submit: 2);
        var borrowing = Job(Consortium, 24, 1u << Rocm, submit: 3);
        var beyondLimit = Job(Consortium, 16, 1u << Cuda, submit: 4);
        var result = driver.Submit(JanuaryNightUtc, guaranteedCuda, guaranteedRocm, borrowing, beyondLimit);
        Assert.Equal(DecisionKind.Place, result.For(guaranteedCuda).Kind);
        Assert.Equal(DecisionKind.Place, result.For(guaranteedRocm).Kind);
        Assert.Equal(DecisionKind.Place, result.For(borrowing).Kind);
        var decision = result.For(beyondLimit);
        Assert.Equal(ReasonCode.QuotaBorrowLimit, decision.Reason.Code);
        Assert.Contains("tenant kazllm would borrow 40 GPUs beyond its guarantees; its limit is 32", decision.Describe(driver.State.Hub), StringComparison.Ordinal);
    }

    [Fact]
    public void Emergency_work_is_not_held_back_by_its_tenants_borrowing_limit()
    {
        var driver = Cycles.NewDriver();
        var routine = Job(Ministry, 16, 1u << Cuda, PriorityClass.High);
        driver.Submit(JanuaryNightUtc, routine);
        var routineMore = Job(Ministry, 8, 1u << Cuda, PriorityClass.High);
        Assert.Equal(ReasonCode.QuotaBorrowLimit, driver.Submit(JanuaryNightUtc + 60, routineMore).For(routineMore).Reason.Code);
        var flood = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency);
        Assert.Equal(DecisionKind.Place, driver.Submit(JanuaryNightUtc + 120, flood).For(flood).Kind);
    }
}
