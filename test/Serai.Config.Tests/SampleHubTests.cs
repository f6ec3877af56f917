using Serai.Core.Model;

namespace Serai.Config.Tests;

public class SampleHubTests
{
    private static readonly HubModel CentralAsia = Load("central-asia.yaml");

    private static HubModel Load(string name)
    {
        var result = HubConfigLoader.LoadFile(RepoFiles.Hub(name));
        Assert.True(result.Ok, string.Join("\n", result.Errors));
        return result.Hub!;
    }

    private static int Gpus(HubModel hub, string model) => hub.GpusByAccelerator[hub.AcceleratorIndex(model)!.Value];

    [Fact]
    public void Central_Asia_has_six_sites_in_four_countries_and_28016_GPUs()
    {
        Assert.Equal(["kz-astana", "kz-nvidia-hub", "uz-bukhara", "uz-termez", "kg-bishkek", "az-sumgayit-landing"], CentralAsia.Sites.Select(s => s.Name));
        Assert.Equal(["KZ", "UZ", "KG", "AZ"], CentralAsia.Countries);
        Assert.Equal(28_016, CentralAsia.TotalGpus);
        Assert.Equal(["cuda", "rocm", "cann"], CentralAsia.Stacks);
    }

    [Fact]
    public void The_Astana_supercomputer_has_about_a_thousand_H200()
    {
        var astana = CentralAsia.Sites[CentralAsia.SiteIndex("kz-astana")!.Value];
        var pool = CentralAsia.Pools[Assert.Single(astana.PoolIndexes)];
        Assert.Equal("H200", pool.Accelerator.Model);
        Assert.InRange(pool.Gpus, 500, 1_024);
        Assert.Equal(141, pool.Accelerator.MemoryGb);
    }

    [Fact]
    public void Fleet_counts_by_model_match_the_file()
    {
        Assert.Equal(5_104, Gpus(CentralAsia, "H200"));
        Assert.Equal(8_192, Gpus(CentralAsia, "B200"));
        Assert.Equal(10_240, Gpus(CentralAsia, "Ascend-910B"));
        Assert.Equal(4_096, Gpus(CentralAsia, "MI300X"));
        Assert.Equal(256, Gpus(CentralAsia, "A100"));
        Assert.Equal(128, Gpus(CentralAsia, "H100"));
        Assert.Null(CentralAsia.AcceleratorIndex("Gaudi-3")); // catalogued but unused: not in the hub
    }

    [Fact]
    public void Guarantees_summed_over_tenants_fit_every_model()
    {
        foreach (var accelerator in CentralAsia.Accelerators)
        {
            var guaranteed = CentralAsia.Tenants.Sum(t => t.GuaranteedGpus[accelerator.Index]);
            Assert.True(guaranteed <= CentralAsia.GpusByAccelerator[accelerator.Index], accelerator.Model);
        }
        Assert.Equal(6_144, CentralAsia.Tenants[CentralAsia.TenantIndex("kazllm")!.Value].TotalGuaranteedGpus);
    }

    [Fact]
    public void Termez_is_the_hottest_site_and_has_the_worst_PUE()
    {
        var termez = CentralAsia.Sites[CentralAsia.SiteIndex("uz-termez")!.Value];
        var astana = CentralAsia.Sites[CentralAsia.SiteIndex("kz-astana")!.Value];
        Assert.InRange(termez.TemperatureC.Max, 40, 46);
        Assert.InRange(astana.TemperatureC.Min, -25, -14);
        Assert.True(termez.Cooling.Pue(termez.TemperatureC.Max) > astana.Cooling.Pue(astana.TemperatureC.Max));
        Assert.True(termez.Cooling.CapacityAt(termez.TemperatureC.Max) < termez.Cooling.CapacityWatts);
    }

    [Fact]
    public void Kyrgyz_hydro_is_the_cleanest_grid()
    {
        var cleanest = CentralAsia.Sites.MinBy(s => s.CarbonGPerKwh.Mean)!;
        Assert.Equal("kg-bishkek", cleanest.Name);
        Assert.Equal(127, cleanest.CarbonGPerKwh.Mean, 0);
    }

    [Fact]
    public void The_emergencies_ministry_may_use_the_emergency_class_and_only_Kazakhstan()
    {
        var mchs = CentralAsia.Tenants[CentralAsia.TenantIndex("kz-emergencies")!.Value];
        Assert.True(mchs.MayUse(PriorityClass.Emergency));
        Assert.Equal("KZ", CentralAsia.CountryNames(mchs.AllowedCountriesMask));
        Assert.True(mchs.TotalGuaranteedGpus > 0);
        Assert.False(CentralAsia.Tenants[CentralAsia.TenantIndex("startups")!.Value].MayUse(PriorityClass.Emergency));
    }

    [Fact]
    public void The_foreign_partner_can_never_run_where_Kazakh_citizens_data_may_be_processed()
    {
        var partner = CentralAsia.Tenants[CentralAsia.TenantIndex("eu-partner")!.Value];
        var citizens = CentralAsia.Datasets[CentralAsia.DatasetIndex("kz-citizens")!.Value];
        Assert.Equal(0UL, partner.AllowedCountriesMask & citizens.AllowedCountriesMask);
        Assert.Equal("KZ", CentralAsia.CountryNames(citizens.AllowedCountriesMask));
    }

    [Fact]
    public void The_registry_has_an_approved_and_an_unapproved_high_risk_system()
    {
        Assert.Contains(CentralAsia.ConfiguredAiSystems.Systems, a => a.Risk == RiskClass.High && a.MayRun);
        Assert.Contains(CentralAsia.ConfiguredAiSystems.Systems, a => a.Risk == RiskClass.High && !a.MayRun);
    }

    [Fact]
    public void The_Caspian_landing_is_reachable_and_the_link_is_cross_border()
    {
        var landing = CentralAsia.SiteIndex("az-sumgayit-landing")!.Value;
        var caspian = Assert.Single(CentralAsia.Links, l => l.SiteA == landing || l.SiteB == landing);
        Assert.True(caspian.CrossBorder);
        Assert.True(double.IsFinite(CentralAsia.TransferSeconds(CentralAsia.SiteIndex("uz-termez")!.Value, landing, 100)));
    }

    [Fact]
    public void The_local_hub_is_one_site_with_a_few_GPUs_and_two_tenants()
    {
        var local = Load("local.yaml");
        var site = Assert.Single(local.Sites);
        Assert.Equal("local", site.Name);
        Assert.InRange(local.TotalGpus, 2, 8);
        Assert.Equal(["default", "demo"], local.Tenants.Select(t => t.Name));
        Assert.Equal(1.0, site.Cooling.Pue(site.TemperatureC.Max), 6);
    }

    [Fact]
    public void The_five_mistakes_file_gives_exactly_five_different_errors()
    {
        var result = HubConfigLoader.LoadFile(RepoFiles.Data("five-mistakes.yaml"));
        Assert.Null(result.Hub);
        Assert.Equal(5, result.Errors.Count);
        Assert.Equal(
            ["sites[0].tier", "sites[0].pools[0].gpusPerNode", "sites[0].pools[1].accelerator", "tenants[0].priorityClasses[0]", "datasets[0].homeSite"],
            result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.True(e.Line > 0 && e.Value.Length > 0 && e.Allowed.Length > 0));
    }
}
