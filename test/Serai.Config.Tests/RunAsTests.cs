namespace Serai.Config.Tests;

/// <summary>A tenant's <c>runAs</c>: the machine account its jobs run as on local sites (issue 9, defect 1).</summary>
public class RunAsTests
{
    [Fact]
    public void A_tenants_runAs_is_read_and_tenants_without_one_are_left_to_the_default()
    {
        var result = HubConfigLoader.Load(BaseHub.Text.Replace("borrowLimitGpus: 64", "borrowLimitGpus: 64\n    runAs: svc-startups", StringComparison.Ordinal), "hub.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal(new Dictionary<string, string> { ["startups"] = "svc-startups" }, result.RunAs);
    }
}
