using Serai.Core.Model;
using Serai.Core.State;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

public class FilterTests
{
    public static TheoryData<string, uint, double, int> StackCases => new()
    {
        { "cuda only goes to H200", 1u << Cuda, 0, H200Pool },
        { "rocm only goes to MI300X", 1u << Rocm, 0, Mi300Pool },
        { "cann only goes to Ascend", 1u << Cann, 0, AscendPool },
        { "150 GB of memory rules out H200 and Ascend", (1u << Cuda) | (1u << Rocm) | (1u << Cann), 150, Mi300Pool },
    };

    [Theory]
    [MemberData(nameof(StackCases))]
    public void Software_stack_and_memory_pick_the_accelerator(string why, uint stacks, double memoryGb, int expectedPool)
    {
        var driver = Cycles.NewDriver();
        var job = Job(Startup, 4, stacks, memoryGb: memoryGb);
        var result = driver.Submit(JanuaryNightUtc, job);
        Assert.True(result.For(job).Kind == DecisionKind.Place, why);
        Assert.Equal(expectedPool, driver.PoolOf(job));
    }

    [Fact]
    public void A_job_no_accelerator_can_run_is_rejected_with_its_stacks_named()
    {
        var driver = Cycles.NewDriver();
        var job = Job(Startup, 4, 1u << Cann, memoryGb: 100);
        var decision = driver.Submit(JanuaryNightUtc, job).For(job);
        Assert.Equal(DecisionKind.Reject, decision.Kind);
        Assert.Contains("cann", decision.Describe(driver.State.Hub), StringComparison.Ordinal);
    }

    [Fact]
    public void Citizens_data_never_leaves_Kazakhstan_even_when_only_Uzbek_GPUs_are_free()
    {
        var driver = Cycles.NewDriver();
        var filler = Job(Consortium, 32, 1u << Cuda, estimate: 3600);
        var citizens = Job(Ministry, 8, datasets: [KzCitizens]);
        var result = driver.Submit(JanuaryNightUtc, filler, citizens);
        Assert.Equal(DecisionKind.Place, result.For(filler).Kind);
        var decision = result.For(citizens);
        Assert.NotEqual(DecisionKind.Place, decision.Kind);
        Assert.DoesNotContain(driver.State.Running.Values, j => j.Spec.Datasets.Contains(KzCitizens) && j.Placement.Pool != H200Pool);
    }

    [Fact]
    public void A_foreign_partner_cannot_process_data_in_Kazakhstan()
    {
        var driver = Cycles.NewDriver();
        var job = Job(Foreign, 8, 1u << Cuda);
        var decision = driver.Submit(JanuaryNightUtc, job).For(job);
        Assert.Equal(DecisionKind.Reject, decision.Kind);
        Assert.Contains("data residency", decision.Describe(driver.State.Hub), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ApprovedHighRisk, DecisionKind.Place)]
    [InlineData(UnapprovedHighRisk, DecisionKind.Wait)]
    public void High_risk_AI_systems_run_only_when_approved(int aiSystem, DecisionKind expected)
    {
        var driver = Cycles.NewDriver();
        var job = Job(Startup, 1, aiSystem: aiSystem);
        var decision = driver.Submit(JanuaryNightUtc, job).For(job);
        Assert.Equal(expected, decision.Kind);
        if (expected == DecisionKind.Wait)
        {
            Assert.Equal("job 0 waits: AI system credit-scoring is high-risk and not approved".Replace("0", job.Id.ToString(), StringComparison.Ordinal), decision.Describe(driver.State.Hub));
        }
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(16, 2)]
    [InlineData(32, 4)]
    public void Multi_node_gangs_take_whole_nodes(int gpus, int nodes)
    {
        var driver = Cycles.NewDriver();
        var job = Job(Consortium, gpus, 1u << Cuda);
        driver.Submit(JanuaryNightUtc, job);
        var placement = driver.State.Running[job.Id].Placement;
        Assert.Equal(nodes, placement.Nodes.Length);
        Assert.All(placement.GpuMasks, m => Assert.Equal(0xFFUL, m));
    }

    [Fact]
    public void A_12_GPU_gang_on_8_GPU_nodes_holds_8_plus_4_and_the_other_4_stay_free()
    {
        var driver = Cycles.NewDriver();
        var gang = Job(Consortium, 12, 1u << Cuda);
        driver.Submit(JanuaryNightUtc, gang);
        var placement = driver.State.Running[gang.Id].Placement;
        Assert.Equal(12, placement.Gpus);
        Assert.Equal([0xFFUL, 0x0FUL], placement.GpuMasks);

        var four = Job(Consortium, 4, 1u << Cuda, submit: 1);
        driver.Submit(JanuaryNightUtc + 60, four);
        var beside = driver.State.Running[four.Id].Placement;
        Assert.Equal(placement.Nodes[1], Assert.Single(beside.Nodes)); // best fit: the gang's half-used node
        Assert.Equal(0xF0UL, beside.GpuMasks[0]);
    }

    [Fact]
    public void A_gang_larger_than_any_pool_is_rejected()
    {
        var driver = Cycles.NewDriver();
        var job = Job(Consortium, 64, 1u << Cuda);
        var decision = driver.Submit(JanuaryNightUtc, job).For(job);
        Assert.Equal(DecisionKind.Reject, decision.Kind);
        Assert.Equal(ReasonCode.GangTooLarge, decision.Reason.Code);
    }

    [Fact]
    public void A_gang_that_does_not_fit_now_waits_and_says_how_close_it_came()
    {
        var driver = Cycles.NewDriver();
        var first = Job(Consortium, 20, 1u << Cuda);
        var second = Job(Startup, 16, 1u << Cuda);
        var result = driver.Submit(JanuaryNightUtc, first, second);
        var text = result.For(second).Describe(driver.State.Hub);
        Assert.Contains("16 free GPUs: closest kz-astana/h200 has 8 free H200", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_IT_power_cap_holds_jobs_back()
    {
        // 32 H200 at 100 % draw 32 × 620 W above idle; the cap leaves room for the idle pool and about one node.
        var hub = Build(astanaItCapWatts: 4 * 3000 + 32 * 80 + 8 * 700);
        var driver = Cycles.NewDriver(hub);
        var small = Job(Startup, 8, 1u << Cuda, power: 1.0);
        var big = Job(Consortium, 16, 1u << Cuda, power: 1.0);
        var result = driver.Submit(JanuaryNightUtc, small, big);
        Assert.Equal(DecisionKind.Place, result.For(small).Kind);
        Assert.Equal(ReasonCode.ItPowerCap, result.For(big).Reason.Code);
    }

    [Fact]
    public void The_grid_connection_binds_harder_on_a_hot_afternoon_than_on_a_winter_night()
    {
        var idle = 4 * 3000 + 32 * 90 + 2 * 2000 + 16 * 50;
        var hub = Build(termezGridWatts: (idle + 16 * (750 * 0.8 - 90)) * 1.25);
        var winter = Cycles.NewDriver(hub, now: JanuaryNightUtc);
        var summer = Cycles.NewDriver(hub, now: JulyNoonUtc);
        var job = Job(Startup, 16, 1u << Rocm);
        Assert.True(winter.State.Conditions(Termez, JanuaryNightUtc).Pue < 1.2);
        Assert.True(summer.State.Conditions(Termez, JulyNoonUtc).Pue > 1.3);
        Assert.Equal(DecisionKind.Place, winter.Submit(JanuaryNightUtc, job).For(job).Kind);
        Assert.Equal(ReasonCode.GridLimit, summer.Submit(JulyNoonUtc, job).For(job).Reason.Code);
    }

    [Fact]
    public void A_closed_pool_takes_no_new_work()
    {
        var driver = Cycles.NewDriver();
        driver.State.SetPoolClosed(Mi300Pool, true);
        var job = Job(Startup, 4, 1u << Rocm);
        Assert.Equal(ReasonCode.PoolClosed, driver.Submit(JanuaryNightUtc, job).For(job).Reason.Code);
    }

    [Fact]
    public void A_down_site_takes_no_new_work()
    {
        var driver = Cycles.NewDriver();
        driver.State.SetOverride(Astana, new SiteOverride(Down: true));
        var job = Job(Startup, 4, 1u << Cuda);
        Assert.Equal(ReasonCode.SiteDown, driver.Submit(JanuaryNightUtc, job).For(job).Reason.Code);
    }

    [Fact]
    public void A_tenant_may_not_use_the_emergency_class_unless_allowed()
    {
        var driver = Cycles.NewDriver();
        var job = Job(Startup, 1, priority: PriorityClass.Emergency);
        var decision = driver.Submit(JanuaryNightUtc, job).For(job);
        Assert.Equal(DecisionKind.Reject, decision.Kind);
        Assert.Equal(ReasonCode.PriorityNotAllowed, decision.Reason.Code);
    }

    [Theory]
    [InlineData("an unknown tenant", 99, 0)]
    [InlineData("an unknown dataset", Startup, 42)]
    public void A_job_naming_what_the_hub_does_not_have_is_rejected_not_a_crash(string why, int tenant, int dataset)
    {
        var driver = Cycles.NewDriver();
        var job = Job(tenant, 1, datasets: dataset == 0 ? [] : [dataset]);
        var decision = driver.Submit(JanuaryNightUtc, job).For(job);
        Assert.True(decision.Kind == DecisionKind.Reject, why);
        Assert.Equal(ReasonCode.UnknownReference, decision.Reason.Code);
    }
}
