namespace Serai.Config.Tests;

/// <summary><c>workloadClasses:</c> per-class throughput for the simulator's speed model, checked field by field.</summary>
public class WorkloadClassSectionTests
{
    private const string Classes = """
        workloadClasses:
          - name: llm-training
            tenants: [startups]
            throughput: {MI300X: 0.9, h200: 1.1}
          - name: early-warning
            tenants: [emergencies]
            throughput: {H200: 1}

        """;

    [Fact]
    public void Classes_name_their_tenants_and_throughput_per_model_under_the_catalogue_s_names()
    {
        var result = HubConfigLoader.Load(BaseHub.Text + Classes, "hub.yaml");

        Assert.Empty(result.Errors);
        var hub = result.Hub!;
        var llm = result.WorkloadClasses[0];
        Assert.Equal("llm-training", llm.Name);
        Assert.Equal([hub.TenantIndex("startups")!.Value], llm.Tenants);
        Assert.Equal(0.9, llm.Throughput["MI300X"]);
        Assert.Equal(1.1, llm.Throughput["H200"]);
        Assert.Equal(2, result.WorkloadClasses.Count);
    }

    [Fact]
    public void A_hub_without_the_section_has_no_classes()
    {
        Assert.Empty(HubConfigLoader.Load(BaseHub.Text, "hub.yaml").WorkloadClasses);
    }

    public static TheoryData<string, string, string, string, string, string> Cases => new()
    {
        { "{MI300X: 0.9, h200: 1.1}", "{MI300X: 0, h200: 1.1}", "MI300X: 0", "workloadClasses[0].throughput.MI300X", "0", "a number > 0 to 100" },
        { "{MI300X: 0.9, h200: 1.1}", "{MI300X: fast, h200: 1.1}", "MI300X: fast", "workloadClasses[0].throughput.MI300X", "fast", "a number > 0 to 100" },
        { "{MI300X: 0.9, h200: 1.1}", "{MI300X: 0.9, T4: 0.2}", "T4: 0.2", "workloadClasses[0].throughput.T4", "T4", "an accelerator model of the hub: H200, MI300X" },
        { "{MI300X: 0.9, h200: 1.1}", "[MI300X]", "[MI300X]", "workloadClasses[0].throughput", "(a list)", "a mapping of accelerator model to relative throughput" },
        { "tenants: [startups]", "tenants: [nobody]", "[nobody]", "workloadClasses[0].tenants[0]", "nobody", "startups" },
        { "tenants: [emergencies]", "tenants: [startups]", "tenants: [startups]\n    throughput: {H200", "workloadClasses[1].tenants[0]", "startups", "a tenant of no other class (it is in llm-training)" },
        { "name: early-warning", "name: LLM-training", "name: LLM-training", "workloadClasses[1].name", "LLM-training", "a name not used by another class" },
        { "    throughput: {H200: 1}\n", "", "name: early-warning", "workloadClasses[1].throughput", "(missing)", "a mapping of accelerator model to relative throughput" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_broken_field_gives_one_error_naming_line_field_value_and_what_is_allowed(string find, string replace, string lineMarker, string field, string value, string allowed)
    {
        var at = Classes.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in the section");
        var section = string.Concat(Classes.AsSpan(0, at), replace, Classes.AsSpan(at + find.Length));
        var result = HubConfigLoader.Load(BaseHub.Text + section, "hub.yaml");

        Assert.Null(result.Hub);
        var error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(BaseHub.LineOf(section, lineMarker) + BaseHub.LineOf(BaseHub.Text + section, "workloadClasses:") - 1, error.Line);
        Assert.Contains(value, error.Value, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Allowed, StringComparison.Ordinal);
    }
}
