using Serai.Core.Energy;
using Serai.Core.Model;

namespace Serai.Config.Summary;

/// <summary>
/// A site over a year: its envelope, its fleet at full power, and the PUE range, carbon and price means taken from
/// its hourly series.
/// </summary>
public sealed record SiteSummary(
    string Name,
    string Country,
    double GridMw,
    double ItCapMw,
    double CoolingCapacityMw,
    int Gpus,
    double IdleItMw,
    double PeakItMw,
    double MinTemperatureC,
    double MaxTemperatureC,
    double PueMin,
    double PueMax,
    double MeanCarbonGPerKwh,
    double MeanPriceUsdPerKwh,
    IReadOnlyList<PoolSummary> Pools)
{
    public static SiteSummary From(HubModel hub, Site site)
    {
        var pools = site.PoolIndexes.Select(i => hub.Pools[i]).ToArray();
        var (pueMin, pueMax) = (double.MaxValue, double.MinValue);
        for (var h = 0; h < HourlySeries.HoursPerYear; h++)
        {
            var pue = site.Cooling.Pue(site.TemperatureC[h]);
            (pueMin, pueMax) = (Math.Min(pueMin, pue), Math.Max(pueMax, pue));
        }
        return new SiteSummary(
            site.Name,
            site.Country,
            site.GridWatts / 1e6,
            site.ItCapWatts / 1e6,
            site.Cooling.CapacityWatts / 1e6,
            pools.Sum(p => p.Gpus),
            pools.Sum(p => p.IdleWatts) / 1e6,
            pools.Sum(PeakWatts) / 1e6,
            Math.Round(site.TemperatureC.Min, 1),
            Math.Round(site.TemperatureC.Max, 1),
            Math.Round(pueMin, 3),
            Math.Round(pueMax, 3),
            Math.Round(site.CarbonGPerKwh.Mean, 1),
            Math.Round(site.PriceUsdPerKwh.Mean, 4),
            pools.Select(p => new PoolSummary(p.Name, p.Accelerator.Model, p.Nodes, p.GpusPerNode, p.Gpus, PeakWatts(p) / 1e6)).ToArray());
    }

    /// <summary>IT power with every GPU at TDP and every node's overhead.</summary>
    private static double PeakWatts(NodePool pool) => pool.Gpus * pool.Accelerator.TdpWatts + pool.Nodes * pool.NodeOverheadWatts;
}

/// <summary>A node pool in a site summary.</summary>
public sealed record PoolSummary(string Name, string Accelerator, int Nodes, int GpusPerNode, int Gpus, double PeakItMw);
