using Serai.Config;
using Serai.Config.Samples;
using Serai.Core.Catalogue;
using Serai.Core.Model;
using Serai.Core.Synthetic;
using Serai.Simulation.Hubs;

namespace Serai.Simulation.Tests.Hubs;

public class OneCatalogueTests
{
    public static TheoryData<string> HubFiles() => [.. Directory.GetFiles(HubsFolder(), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(HubFiles))]
    public void Every_model_of_a_hub_file_has_the_catalogue_figures(string file)
    {
        var result = HubConfigLoader.LoadFile(Path.Combine(HubsFolder(), file));
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        AssertCatalogueFigures(result.Hub!);
    }

    [Fact]
    public void Every_model_of_the_built_in_and_synthetic_hubs_has_the_catalogue_figures()
    {
        AssertCatalogueFigures(SampleHubs.Itp());
        AssertCatalogueFigures(SampleHubs.CentralAsia());
        AssertCatalogueFigures(SyntheticHub.Build(new Random(7), new SyntheticHubOptions(TotalGpus: 2000)));
        AssertCatalogueFigures(new HubBuilder("spellings").Accelerator("ascend 910b").Accelerator("mi300-x").Build());
    }

    [Theory]
    [InlineData("central-asia:512", 512)]
    [InlineData("central-asia:4096", 4096)]
    [InlineData("central-asia", 4096)]
    [InlineData("CENTRAL-ASIA:20000", 20_000)]
    public void The_built_in_central_asia_hub_is_the_yaml_region_scaled(string name, int gpus)
    {
        var hub = SampleHubs.ByName(name)!;
        var region = SampleRegion.CentralAsia();

        Assert.Equal(region.Sites.Select(s => s.Name), hub.Sites.Select(s => s.Name));
        Assert.Equal(region.Tenants.Select(t => t.Name), hub.Tenants.Select(t => t.Name));
        Assert.Equal(region.Datasets, hub.Datasets);
        Assert.Equal(region.ConfiguredAiSystems.Systems, hub.ConfiguredAiSystems.Systems);
        Assert.InRange(hub.TotalGpus, gpus - 8 * hub.Pools.Length, gpus + 8 * hub.Pools.Length);
    }

    private static void AssertCatalogueFigures(HubModel hub)
    {
        foreach (var a in hub.Accelerators)
        {
            var spec = AcceleratorCatalogue.Find(a.Model);
            Assert.True(spec is not null, $"{hub.Name}: {a.Model} is not in the catalogue");
            Assert.Equal(spec, new AcceleratorSpec(a.Model, a.Vendor, a.Stack, a.MemoryGb, a.Bf16Tflops, a.TdpWatts, a.IdleWatts));
        }
    }

    private static string HubsFolder()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Serai.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return Path.Combine(dir ?? throw new InvalidOperationException("Serai.slnx not found above " + AppContext.BaseDirectory), "hubs");
    }
}
