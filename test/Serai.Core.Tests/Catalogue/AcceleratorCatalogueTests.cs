using Serai.Core.Catalogue;
using Serai.Core.Model;
using Serai.Core.Synthetic;

namespace Serai.Core.Tests.Catalogue;

public class AcceleratorCatalogueTests
{
    [Fact]
    public void The_three_spellings_of_Ascend_910B_find_one_model()
    {
        var spellings = new[] { "Ascend 910B", "Ascend-910B", "ascend910b" }.Select(AcceleratorCatalogue.Find).ToArray();

        Assert.All(spellings, Assert.NotNull);
        Assert.Single(spellings.Distinct());
        Assert.Equal("Ascend-910B", spellings[0]!.Model);
        Assert.Equal(("Huawei", "cann", 310.0), (spellings[0]!.Vendor, spellings[0]!.Stack, spellings[0]!.TdpWatts));
    }

    [Fact]
    public void Every_entry_has_its_own_key_and_idle_draw_below_its_TDP()
    {
        Assert.Equal(AcceleratorCatalogue.All.Count, AcceleratorCatalogue.All.Select(a => AcceleratorSpec.Key(a.Model)).Distinct().Count());
        Assert.All(AcceleratorCatalogue.All, a => Assert.InRange(a.IdleWatts, 1, a.TdpWatts / 2));
        Assert.All(AcceleratorCatalogue.All, a => Assert.Equal(a.Stack.ToLowerInvariant(), a.Stack));
    }

    [Fact]
    public void A_model_outside_the_catalogue_is_named_with_the_models_there_are()
    {
        Assert.Null(AcceleratorCatalogue.Find("TPU v5"));
        var e = Assert.Throws<ArgumentException>(() => AcceleratorCatalogue.Get("TPU v5"));
        Assert.Contains("'TPU v5'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Ascend-910B", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_synthetic_hub_takes_its_figures_from_the_catalogue_and_finds_any_spelling()
    {
        var hub = SyntheticHub.Build(new Random(1), new SyntheticHubOptions(TotalGpus: 1000));

        Assert.All(hub.Accelerators, a => Assert.Equal(AcceleratorCatalogue.Get(a.Model), Spec(a)));
        Assert.Equal(hub.AcceleratorIndex("Ascend-910B"), hub.AcceleratorIndex("ascend 910b"));
        Assert.NotNull(hub.AcceleratorIndex("ASCEND_910B"));
    }

    private static AcceleratorSpec Spec(Accelerator a) => new(a.Model, a.Vendor, a.Stack, a.MemoryGb, a.Bf16Tflops, a.TdpWatts, a.IdleWatts);
}
