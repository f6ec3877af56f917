using Serai.Config.Samples;
using Serai.Core.Model;

namespace Serai.Config.Tests;

public class SampleRegionTests
{
    private static readonly HubModel Yaml = HubConfigLoader.LoadFile(RepoFiles.Hub("central-asia.yaml")).Hub!;

    [Fact]
    public void The_built_in_region_is_hubs_central_asia_yaml_as_written()
    {
        Assert.Equal(File.ReadAllText(RepoFiles.Hub("central-asia.yaml")), SampleRegion.CentralAsiaYaml());
        var region = SampleRegion.CentralAsia();
        Assert.Equal(28_016, region.TotalGpus);
        Assert.Equal(Yaml.Pools, region.Pools);
        Assert.Equal(Yaml.Sites.Select(s => (s.ItCapWatts, s.GridWatts, s.Cooling.CapacityWatts)), region.Sites.Select(s => (s.ItCapWatts, s.GridWatts, s.Cooling.CapacityWatts)));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(8192)]
    [InlineData(100_000)]
    public void Central_Asia_at_N_GPUs_has_the_sites_tenants_datasets_and_AI_systems_of_the_yaml_and_N_GPUs(int gpus)
    {
        var hub = SampleRegion.CentralAsia(gpus);

        Assert.Equal($"central-asia-{gpus}", hub.Name);
        Assert.Equal(Yaml.Countries, hub.Countries);
        Assert.Equal(Yaml.Sites.Select(s => (s.Name, s.Country, s.UtcOffsetHours)), hub.Sites.Select(s => (s.Name, s.Country, s.UtcOffsetHours)));
        Assert.Equal(Yaml.Sites.Select(s => s.TemperatureC.Mean), hub.Sites.Select(s => s.TemperatureC.Mean));
        Assert.Equal(Yaml.Accelerators, hub.Accelerators);
        Assert.Equal(Yaml.Links, hub.Links);
        Assert.Equal(Yaml.Tenants.Select(t => (t.Name, t.FairShareWeight, t.AllowedCountriesMask, t.AllowedClassesMask)),
            hub.Tenants.Select(t => (t.Name, t.FairShareWeight, t.AllowedCountriesMask, t.AllowedClassesMask)));
        Assert.Equal(Yaml.Datasets, hub.Datasets);
        Assert.Equal(Yaml.ConfiguredAiSystems.Systems, hub.ConfiguredAiSystems.Systems);
        Assert.Equal(Yaml.Pools.Select(p => (p.Name, p.Site, p.Accelerator, p.GpusPerNode, p.NodeOverheadWatts)),
            hub.Pools.Select(p => (p.Name, p.Site, p.Accelerator, p.GpusPerNode, p.NodeOverheadWatts)));
        var factor = (double)gpus / Yaml.TotalGpus;
        Assert.All(hub.Pools, p => Assert.InRange(p.Gpus, Yaml.Pools[p.Index].Gpus * factor - 8, Yaml.Pools[p.Index].Gpus * factor + 8));
        Assert.InRange(hub.TotalGpus, gpus - 8 * hub.Pools.Length, gpus + 8 * hub.Pools.Length);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void Scaling_keeps_each_sites_envelope_against_its_nameplate_and_guarantees_within_each_fleet(int gpus)
    {
        var hub = SampleRegion.CentralAsia(gpus);

        foreach (var site in hub.Sites.Where(s => s.PoolIndexes.Length > 0))
        {
            var yaml = Yaml.Sites[site.Index];
            var before = yaml.PoolIndexes.Sum(i => Nameplate(Yaml.Pools[i]));
            var after = site.PoolIndexes.Sum(i => Nameplate(hub.Pools[i]));
            Assert.Equal(yaml.ItCapWatts / before, site.ItCapWatts / after, 9);
            Assert.Equal(yaml.GridWatts / before, site.GridWatts / after, 9);
            Assert.Equal(yaml.Cooling.CapacityWatts / before, site.Cooling.CapacityWatts / after, 9);
        }
        foreach (var accelerator in hub.Accelerators)
        {
            Assert.True(hub.Tenants.Sum(t => t.GuaranteedGpus[accelerator.Index]) <= hub.GpusByAccelerator[accelerator.Index], accelerator.Model);
        }
        var kazllm = hub.Tenants[hub.TenantIndex("kazllm")!.Value];
        Assert.InRange(kazllm.TotalGuaranteedGpus, 6_144.0 * gpus / Yaml.TotalGpus * 0.9, 6_144.0 * gpus / Yaml.TotalGpus * 1.1);
    }

    [Fact]
    public void Scaling_to_the_yaml_size_changes_no_figure()
    {
        var same = HubScaler.Scale(Yaml, Yaml.TotalGpus);

        Assert.Equal(Yaml.Pools, same.Pools);
        Assert.Equal(Yaml.Sites.Select(s => (s.ItCapWatts, s.GridWatts, s.Cooling)), same.Sites.Select(s => (s.ItCapWatts, s.GridWatts, s.Cooling)));
        Assert.Equal(Yaml.Tenants.Select(t => (t.GuaranteedGpus.Sum(), t.BorrowLimitGpus)), same.Tenants.Select(t => (t.GuaranteedGpus.Sum(), t.BorrowLimitGpus)));
    }

    [Fact]
    public void A_size_below_one_node_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleRegion.CentralAsia(4));
    }

    private static double Nameplate(NodePool pool) => pool.Gpus * pool.Accelerator.TdpWatts + pool.Nodes * pool.NodeOverheadWatts;
}
