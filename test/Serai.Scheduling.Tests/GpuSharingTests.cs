using Serai.Scheduling.Profiles;
using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>Jobs that ask for part of a GPU share one up to 1,000 thousandths, best fit; whole-GPU jobs never share.</summary>
public class GpuSharingTests
{
    private static Core.Jobs.JobSpec Part(int milli, long? id = null) =>
        TestHub.Job(TestHub.Startup, 1, stacks: 1u << TestHub.Cuda, id: id) with { GpuMilli = milli };

    private static (int Node, ulong Mask) Where(Driver driver, Core.Jobs.JobSpec job)
    {
        var p = driver.State.Running[job.Id].Placement;
        return (p.Nodes[0], p.GpuMasks[0]);
    }

    [Fact]
    public void Parts_of_a_GPU_share_one_GPU_until_it_is_full_then_take_the_next()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.PriorityFairShare);
        var (a, b, c) = (Part(600), Part(400), Part(300));
        driver.Submit(TestHub.JanuaryNightUtc, a, b, c);
        var pool = driver.State.Pools[TestHub.H200Pool];
        Assert.Equal(Where(driver, a), Where(driver, b));
        Assert.NotEqual(Where(driver, a), Where(driver, c));
        Assert.Equal(1000, pool.SharedMilli(Where(driver, a).Node, System.Numerics.BitOperations.TrailingZeroCount(Where(driver, a).Mask)));
        Assert.Equal(2, pool.SharedGpus);
        Assert.Equal(pool.Pool.Gpus - 2, pool.FreeGpus);
    }

    [Fact]
    public void A_part_goes_to_the_shared_GPU_with_the_least_room_that_still_fits()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.PriorityFairShare);
        var (tight, roomy) = (Part(700), Part(500)); // the 500 does not fit beside the 700: a GPU of its own
        driver.Submit(TestHub.JanuaryNightUtc, tight, roomy);
        var small = Part(250);
        driver.Submit(TestHub.JanuaryNightUtc, small);
        Assert.Equal(Where(driver, tight), Where(driver, small)); // 300 free there against 500 beside the other
        Assert.Equal(2, driver.State.Pools[TestHub.H200Pool].SharedGpus);
    }

    [Fact]
    public void A_whole_GPU_job_never_lands_on_a_shared_GPU_and_the_GPU_is_free_again_when_its_last_sharer_ends()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.PriorityFairShare);
        var parts = Enumerable.Range(0, 2).Select(_ => Part(100)).ToArray();
        driver.Submit(TestHub.JanuaryNightUtc, parts);
        var whole = TestHub.Job(TestHub.Startup, 8, stacks: 1u << TestHub.Cuda);
        driver.Submit(TestHub.JanuaryNightUtc, whole);
        var shared = Where(driver, parts[0]);
        var w = driver.State.Running[whole.Id].Placement;
        Assert.False(w.Nodes[0] == shared.Node && (w.GpuMasks[0] & shared.Mask) != 0);
        var pool = driver.State.Pools[TestHub.H200Pool];
        var free = pool.FreeGpus;
        driver.Complete(parts[0].Id);
        Assert.Equal(free, pool.FreeGpus);
        driver.Complete(parts[1].Id);
        Assert.Equal(free + 1, pool.FreeGpus);
        Assert.Equal(0, pool.SharedGpus);
    }

    [Fact]
    public void A_shared_GPU_draws_its_busy_power_once_split_by_share()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.PriorityFairShare);
        var idle = driver.State.ModelledItWatts(TestHub.Astana);
        driver.Submit(TestHub.JanuaryNightUtc, Part(500), Part(500));
        var pool = driver.State.Hub.Pools[TestHub.H200Pool];
        Assert.Equal(idle + pool.BusyDeltaWatts(1, 0.8), driver.State.ModelledItWatts(TestHub.Astana), 6);
    }

    [Fact]
    public void A_part_of_a_GPU_on_more_than_one_GPU_is_rejected_as_malformed()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.PriorityFairShare);
        var bad = TestHub.Job(TestHub.Startup, 2, stacks: 1u << TestHub.Cuda) with { GpuMilli = 500 };
        var result = driver.Submit(TestHub.JanuaryNightUtc, bad);
        Assert.Equal(DecisionKind.Reject, result.For(bad).Kind);
    }

    [Fact]
    public void A_tenant_s_sharers_count_toward_its_quota_as_whole_GPUs_rounded_up_not_one_each()
    {
        var driver = Cycles.NewDriver(profile: BuiltInProfiles.PriorityFairShare);
        var rocm = 1u << TestHub.Rocm;
        var whole = TestHub.Job(TestHub.Foreign, 8, stacks: rocm);
        var seven = TestHub.Job(TestHub.Foreign, 7, stacks: rocm);
        var parts = Enumerable.Range(0, 3).Select(_ => TestHub.Job(TestHub.Foreign, 1, stacks: rocm) with { GpuMilli = 300 }).ToArray();
        driver.Submit(TestHub.JanuaryNightUtc, [whole, seven, .. parts]); // 15 whole GPUs + 900 thousandths: 16, the partner's limit
        Assert.Equal(5, driver.State.Running.Count);
        var accelerator = driver.State.Hub.Pools[TestHub.Mi300Pool].Accelerator.Index;
        Assert.Equal(16, driver.State.Allocated(TestHub.Foreign, accelerator));
        var fourth = TestHub.Job(TestHub.Foreign, 1, stacks: rocm) with { GpuMilli = 300 };
        var result = driver.Submit(TestHub.JanuaryNightUtc + 60, fourth); // 1,200 thousandths would be a 17th GPU
        Assert.Equal(ReasonCode.QuotaBorrowLimit, result.For(fourth).Reason.Code);
        driver.Complete(parts[0].Id);
        Assert.Equal(16, driver.State.Allocated(TestHub.Foreign, accelerator));
        result = driver.Cycle(TestHub.JanuaryNightUtc + 120);
        Assert.Equal(DecisionKind.Place, result.For(fourth).Kind);
    }
}
