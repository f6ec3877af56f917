using Serai.Core.Model;
using Serai.Scheduling.Tests.Support;
using static Serai.Scheduling.Tests.Support.TestHub;

namespace Serai.Scheduling.Tests;

public class PreemptionTests
{
    [Fact]
    public void Emergency_job_preempts_the_youngest_checkpointable_job_first()
    {
        var driver = Cycles.NewDriver();
        var old = Job(Startup, 8, 1u << Cuda, PriorityClass.Low, checkpointable: false);
        driver.Submit(JanuaryNightUtc, old);
        var older = Job(Startup, 8, 1u << Cuda, PriorityClass.Low, checkpointable: true);
        driver.Submit(JanuaryNightUtc + 60, older);
        var young = Job(Startup, 8, 1u << Cuda, PriorityClass.Low, checkpointable: false);
        var youngCheckpointed = Job(Startup, 8, 1u << Cuda, PriorityClass.Low, checkpointable: true);
        driver.Submit(JanuaryNightUtc + 120, young, youngCheckpointed);
        var flood = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency, datasets: [KzCitizens]);
        var result = driver.Submit(JanuaryNightUtc + 180, flood);
        var preempted = result.Decisions.Where(d => d.Kind == DecisionKind.Preempt).Select(d => d.Job).ToList();
        Assert.Equal([youngCheckpointed.Id], preempted);
        Assert.Equal(DecisionKind.Place, result.For(flood).Kind);
        Assert.Contains("preempted for job", result.Decisions.First(d => d.Kind == DecisionKind.Preempt).Describe(driver.State.Hub), StringComparison.Ordinal);
    }

    [Fact]
    public void The_smallest_set_of_victims_is_chosen()
    {
        var driver = Cycles.NewDriver();
        var ones = Enumerable.Range(0, 8).Select(_ => Job(Startup, 1, 1u << Cuda, PriorityClass.Low)).ToArray();
        var eight = Job(Startup, 8, 1u << Cuda, PriorityClass.Low);
        var rest = Job(Startup, 16, 1u << Cuda, PriorityClass.Low);
        driver.Submit(JanuaryNightUtc, [.. ones, eight, rest]);
        var urgent = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency);
        var result = driver.Submit(JanuaryNightUtc + 60, urgent);
        Assert.Equal([eight.Id], result.Decisions.Where(d => d.Kind == DecisionKind.Preempt).Select(d => d.Job));
    }

    [Fact]
    public void A_tenant_reclaims_its_guarantee_from_a_borrower()
    {
        var driver = Cycles.NewDriver();
        var borrower = Job(Startup, 32, 1u << Cuda);
        driver.Submit(JanuaryNightUtc, borrower);
        var owner = Job(Consortium, 16, 1u << Cuda);
        var result = driver.Submit(JanuaryNightUtc + 60, owner);
        Assert.Equal(DecisionKind.Place, result.For(owner).Kind);
        var preempt = result.Decisions.Single(d => d.Kind == DecisionKind.Preempt);
        Assert.Equal(ReasonCode.PreemptedToReclaimGuarantee, preempt.Reason.Code);
    }

    [Fact]
    public void No_victim_is_taken_below_its_own_guarantee()
    {
        var driver = Cycles.NewDriver();
        var guaranteed = Job(Consortium, 16, 1u << Cuda, PriorityClass.Low);
        var ministry = Job(Ministry, 8, 1u << Cuda, PriorityClass.Low);
        var startup = Job(Startup, 8, 1u << Cuda, PriorityClass.Low);
        driver.Submit(JanuaryNightUtc, guaranteed, ministry, startup);
        var urgent = Job(Ministry, 8, 1u << Cuda, PriorityClass.Emergency);
        var result = driver.Submit(JanuaryNightUtc + 60, urgent);
        Assert.Equal(DecisionKind.Place, result.For(urgent).Kind);
        Assert.DoesNotContain(result.Decisions, d => d.Kind == DecisionKind.Preempt && d.Job == guaranteed.Id);
    }

    [Fact]
    public void Lower_or_equal_priority_work_never_preempts()
    {
        var driver = Cycles.NewDriver();
        var running = Job(Startup, 32, 1u << Cuda, PriorityClass.High);
        driver.Submit(JanuaryNightUtc, running);
        var late = Job(Startup, 8, 1u << Cuda, PriorityClass.High);
        var result = driver.Submit(JanuaryNightUtc + 60, late);
        Assert.DoesNotContain(result.Decisions, d => d.Kind == DecisionKind.Preempt);
    }
}
