using Serai.Core.Catalogue;

namespace Serai.Config.Tests;

public class CatalogueTests
{
    private static string WithAccelerators(string accelerators, string poolModel = "H200") =>
        BaseHub.With("hub:\n  name: test\n", $"hub:\n  name: test\naccelerators:\n{accelerators}")
            .Replace("accelerator: H200", $"accelerator: {poolModel}", StringComparison.Ordinal)
            .Replace("{H200: 64}", "{}", StringComparison.Ordinal);

    [Theory]
    [InlineData("A100", "NVIDIA", "cuda", 400)]
    [InlineData("H200", "NVIDIA", "cuda", 700)]
    [InlineData("B200", "NVIDIA", "cuda", 1000)]
    [InlineData("MI300X", "AMD", "rocm", 750)]
    [InlineData("Ascend 910B", "Huawei", "cann", 310)]
    [InlineData("Gaudi 3", "Intel", "gaudi", 900)]
    public void The_built_in_catalogue_has_the_FACTS_figures(string model, string vendor, string stack, double tdpWatts)
    {
        var spec = AcceleratorCatalogue.Find(model)!;
        Assert.Equal((vendor, stack, tdpWatts), (spec.Vendor, spec.Stack, spec.TdpWatts));
        Assert.InRange(spec.IdleWatts, 1, tdpWatts / 2);
    }

    [Fact]
    public void An_override_changes_only_the_keys_it_gives()
    {
        var result = HubConfigLoader.Load(WithAccelerators("  - model: H200\n    tdpWatts: 600\n"), "hub.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var h200 = result.Hub!.Accelerators[result.Hub.AcceleratorIndex("H200")!.Value];
        Assert.Equal(600, h200.TdpWatts);
        Assert.Equal(141, h200.MemoryGb);
    }

    [Fact]
    public void A_new_model_can_be_added_and_used_by_a_pool()
    {
        var result = HubConfigLoader.Load(WithAccelerators(
            "  - model: X1\n    vendor: Acme\n    stack: acme\n    memoryGb: 96\n    bf16Tflops: 500\n    tdpWatts: 500\n", "X1"), "hub.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var x1 = result.Hub!.Accelerators[result.Hub.AcceleratorIndex("X1")!.Value];
        Assert.Equal(("acme", 60.0), (x1.Stack, x1.IdleWatts));
        Assert.Contains("acme", result.Hub.Stacks);
    }

    [Fact]
    public void A_new_model_without_its_figures_names_each_missing_key()
    {
        var errors = HubConfigLoader.Load(WithAccelerators("  - model: X1\n    vendor: Acme\n"), "hub.yaml").Errors;

        Assert.Equal(
            ["accelerators[0].bf16Tflops", "accelerators[0].memoryGb", "accelerators[0].stack", "accelerators[0].tdpWatts"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal("(missing)", e.Value));
    }

    [Fact]
    public void Model_names_match_ignoring_case_spaces_and_hyphens()
    {
        var result = HubConfigLoader.Load(BaseHub.With("accelerator: MI300X", "accelerator: mi300-x"), "hub.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("Ascend 910B")]
    [InlineData("Ascend-910B")]
    [InlineData("ascend910b")]
    [InlineData("ASCEND_910B")]
    public void Every_spelling_of_Ascend_910B_in_a_file_becomes_the_catalogue_name(string spelling)
    {
        var result = HubConfigLoader.Load(BaseHub.With("accelerator: MI300X", $"accelerator: {spelling}"), "hub.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Errors));
        var ascend = Assert.Single(result.Hub!.Accelerators, a => a.Vendor == "Huawei");
        Assert.Equal(AcceleratorCatalogue.Get("Ascend 910B"), AcceleratorCatalogue.Find(ascend.Model));
        Assert.Equal("Ascend-910B", ascend.Model);
        Assert.Equal(ascend.Index, result.Hub.AcceleratorIndex(spelling));
    }

    [Fact]
    public void Only_models_with_pools_or_declared_in_the_file_are_in_the_hub()
    {
        var hub = HubConfigLoader.Load(BaseHub.Text, "hub.yaml").Hub!;
        Assert.Equal(["H200", "MI300X"], hub.Accelerators.Select(a => a.Model));
        Assert.Equal(["cuda", "rocm"], hub.Stacks);
        Assert.Equal(2, hub.Tenants[0].GuaranteedGpus.Length);
    }
}
