using Serai.Config.Summary;

namespace Serai.Config.Tests;

public class HubSummaryTests
{
    private static readonly HubSummary CentralAsia = HubSummary.From(HubConfigLoader.LoadFile(RepoFiles.Hub("central-asia.yaml")).Hub!);

    [Fact]
    public void The_one_line_summary_counts_sites_countries_GPUs_and_tenants() =>
        Assert.Equal(
            "central-asia: 6 sites in 4 countries, 28,016 GPUs (6 models, 3 stacks), 52.5 MW grid, 37.8 MW IT cap, 8 tenants, 6 datasets, 5 AI systems",
            CentralAsia.OneLine());

    [Fact]
    public void PUE_ranges_come_from_the_hourly_temperature_and_the_hottest_site_is_worst()
    {
        Assert.All(CentralAsia.Sites, s => Assert.InRange(s.PueMin, 1.0, s.PueMax));
        Assert.Equal("uz-termez", CentralAsia.Sites.MaxBy(s => s.PueMax)!.Name);
    }

    [Fact]
    public void The_fleet_fits_under_each_site_IT_cap_at_full_power() =>
        Assert.All(CentralAsia.Sites, s => Assert.True(s.PeakItMw <= s.ItCapMw, $"{s.Name}: {s.PeakItMw} MW > {s.ItCapMw} MW"));

    [Fact]
    public void The_fleet_is_listed_by_vendor_with_its_sites()
    {
        Assert.Equal(["AMD", "Huawei", "NVIDIA", "NVIDIA", "NVIDIA", "NVIDIA"], CentralAsia.Fleet.Select(f => f.Vendor));
        Assert.Equal(["kz-astana", "kz-nvidia-hub"], CentralAsia.Fleet.Single(f => f.Model == "H200").Sites);
    }
}
