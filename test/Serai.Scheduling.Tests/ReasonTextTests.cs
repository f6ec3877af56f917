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
