namespace Serai.Config.Tests;

/// <summary>Issue 9: a tenant's <c>runAs</c> (the machine account its local jobs run as) and a dataset's <c>grants</c>.</summary>
public class AccessConfigTests
{
    [Fact]
    public void A_tenants_runAs_is_read_and_tenants_without_one_are_left_to_the_default()
    {
        var result = HubConfigLoader.Load(BaseHub.With("borrowLimitGpus: 64", "borrowLimitGpus: 64\n    runAs: svc-startups"), "hub.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal(new Dictionary<string, string> { ["startups"] = "svc-startups" }, result.RunAs);
    }

    [Fact]
    public void A_datasets_grants_are_read_with_their_purpose()
    {
        var result = HubConfigLoader.Load(BaseHub.With("    owner: emergencies\n", "    owner: emergencies\n    grants:\n      - tenant: startups\n        purpose: evacuation route research\n"), "hub.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var dataset = result.Hub!.Datasets[0];
        Assert.Equal([new Core.Model.DatasetGrant(1, "evacuation route research")], dataset.Grants);
        Assert.True(dataset.MayUse(0) && dataset.MayUse(1));
    }

    [Fact]
    public void A_hub_may_require_an_ai_system_for_personal_data_and_datasets_say_whether_they_hold_it()
    {
        var result = HubConfigLoader.Load(BaseHub.With("    owner: emergencies\n", "    owner: emergencies\n    personalData: true\n")
            .Replace("hub:\n  name: test", "hub:\n  name: test\n  requireAiSystemForPersonalData: true", StringComparison.Ordinal), "hub.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.True(result.Hub!.RequireAiSystemForPersonalData);
        Assert.True(result.Hub.Datasets[0].PersonalData);
        Assert.False(HubConfigLoader.Load(BaseHub.Text, "hub.yaml").Hub!.RequireAiSystemForPersonalData);
    }

    [Fact]
    public void A_personalData_that_is_not_a_boolean_is_an_error_naming_the_field()
    {
        var result = HubConfigLoader.Load(BaseHub.With("    owner: emergencies\n", "    owner: emergencies\n    personalData: maybe\n"), "hub.yaml");
        Assert.Contains(result.Errors, e => e.ToString().Contains("datasets[0].personalData: maybe", StringComparison.Ordinal) && e.ToString().Contains("true or false", StringComparison.Ordinal));
    }
}
