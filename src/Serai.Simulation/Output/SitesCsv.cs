using System.Globalization;
using System.Text;
using Serai.Simulation.Engine;
using Serai.Simulation.Metrics;

namespace Serai.Simulation.Output;

/// <summary>
/// sites.csv: per site per hour, the outdoor temperature and PUE (highest in the hour), IT and facility power (mean
/// and highest after any cycle), the IT cap, IT limit (cap, cooling and grid over PUE) and grid connection (lowest in
/// the hour), idle IT power, GPUs busy (highest) and in total.
/// </summary>
public static class SitesCsv
{
    public const string Header = "hour_unix,time_utc,site,outdoor_c,pue,it_watts_mean,it_watts_max,facility_watts_mean,facility_watts_max,it_cap_watts,it_limit_watts,grid_watts,idle_it_watts,gpus_busy_max,gpus_total,utilisation,carbon_g_per_kwh,price_usd_per_kwh";

    public static void Write(Simulator sim, MetricsCollector metrics, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var c = CultureInfo.InvariantCulture;
        writer.WriteLine(Header);
        foreach (var h in metrics.Hours)
        {
            var time = DateTimeOffset.FromUnixTimeSeconds(h.HourUnix).ToString("yyyy-MM-dd'T'HH:mm'Z'", c);
            writer.WriteLine(string.Create(c,
                $"{h.HourUnix},{time},{sim.Hub.Sites[h.Site].Name},{h.OutdoorC:F1},{h.Pue:F4},{h.ItWattsMean:F0},{h.ItWattsMax:F0},{h.FacilityWattsMean:F0},{h.FacilityWattsMax:F0},{h.ItCapWatts:F0},{h.ItLimitWatts:F0},{h.GridWatts:F0},{h.IdleItWatts:F0},{h.GpusBusyMax},{h.GpusTotal},{h.Utilisation:F4},{h.CarbonGPerKwh:F1},{h.PriceUsdPerKwh:F4}"));
        }
    }
}
