using Serai.Scheduling.Tests.Support;

namespace Serai.Scheduling.Tests;

/// <summary>Reasons a person can act on: the sentences say what rule keeps a job where.</summary>
public class ReasonTextTests
{
    [Fact]
    public void A_job_whose_tenant_and_data_share_no_country_is_told_it_may_run_nowhere()
    {
        var hub = TestHub.Build();
        var text = new Reason(ReasonCode.Residency, "residency", TestHub.Mi300Pool, Need: 0).Describe(hub);
        Assert.Equal("data residency: no country is allowed both by the tenant and by the job's datasets, so the job may run nowhere", text);
    }

    [Fact]
    public void A_residency_reason_names_the_countries_where_the_data_may_go()
    {
        var hub = TestHub.Build();
        var text = new Reason(ReasonCode.Residency, "residency", TestHub.Mi300Pool, Need: 1).Describe(hub);
        Assert.Equal("data residency: the job's data may be processed only in KZ; no pool there fits", text);
    }

    [Fact]
    public void An_envelope_preemption_says_why_instead_of_naming_job_0()
    {
        var hub = TestHub.Build();
        var d = Decision.Preempt(new Core.Jobs.JobId(62), default, new Reason(ReasonCode.EnvelopePreempt, "envelope", TestHub.H200Pool, Have: 2e6, Need: 1e6));
        Assert.StartsWith("preempt job 62 to bring its site within its power envelope: ", d.Describe(hub), StringComparison.Ordinal);
        Assert.DoesNotContain("job 0", d.Describe(hub), StringComparison.Ordinal);
    }
}

/// <summary>The srtf and las baselines give their victims the rule that stopped them, not a reclaim of guarantees.</summary>
public class ServicePreemptionReasonTests
{
    private static Decision Preempted(Profiles.SchedulerProfile profile, out Driver driver, out Core.Jobs.JobSpec winner)
    {
        driver = Cycles.NewDriver(profile: profile);
        var now = TestHub.JanuaryNightUtc;
        var longJobs = Enumerable.Range(0, 4)
            .Select(_ => TestHub.Job(TestHub.Startup, 8, stacks: 1u << TestHub.Cuda, estimate: 20_000, checkpointable: true, submit: now)).ToArray();
        driver.Submit(now, longJobs);
        Assert.Equal(4, driver.State.Running.Count);
        winner = TestHub.Job(TestHub.Startup, 8, stacks: 1u << TestHub.Cuda, estimate: 600, submit: now + 1200);
        var result = driver.Submit(now + 1200, winner);
        return Assert.Single(result.Decisions, d => d.Kind == DecisionKind.Preempt);
    }

    [Theory]
    [InlineData("srtf", ReasonCode.PreemptedForShorterRemaining, "shortest remaining time first, and this job expects to run longer than job {0}'s whole estimate")]
    [InlineData("las", ReasonCode.PreemptedForLessAttained, "least attained service first, and this job has received more GPU time than job {0}")]
    public void A_victim_of_srtf_or_las_is_told_the_rule_that_stopped_it_not_a_reclaim_of_guarantees(string profile, ReasonCode code, string rule)
    {
        var preempt = Preempted(Profiles.BuiltInProfiles.ByName(profile)!, out var driver, out var winner);
        Assert.Equal(code, preempt.Reason.Code);
        Assert.Equal($"preempted for job {winner.Id} on kz-astana/h200: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, rule, winner.Id),
            preempt.Reason.Describe(driver.State.Hub));
        Assert.DoesNotContain("guaranteed", preempt.Describe(driver.State.Hub), StringComparison.Ordinal);
    }
}
