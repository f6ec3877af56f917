using Serai.Core.Model;

namespace Serai.Config.Samples;

/// <summary>
/// Resizes a hub to a GPU count while keeping its shape: every pool's share of the GPUs, each site's IT cap, grid
/// connection and cooling capacity relative to the nameplate power of its pools (so the envelope binds as before),
/// and the tenants' guarantees relative to the fleet of each model. Names, countries, links, datasets and AI systems
/// are kept as they are.
/// </summary>
public static class HubScaler
{
    /// <summary>The smallest size accepted: one node of 8 GPUs.</summary>
    public const int MinimumGpus = 8;

    /// <summary>
    /// <paramref name="hub"/> resized to about <paramref name="totalGpus"/> GPUs, named "NAME-GPUS". Each pool keeps at
    /// least one node and ends within one node of its exact share, so the total is off by at most one node per pool.
    /// </summary>
    public static HubModel Scale(HubModel hub, int totalGpus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalGpus, MinimumGpus);
        if (hub.TotalGpus == 0)
        {
            throw new ArgumentException($"hub '{hub.Name}' has no GPUs to scale", nameof(hub));
        }
        var factor = (double)totalGpus / hub.TotalGpus;
        var nodes = PoolNodes(hub.Pools, factor, totalGpus);
        var pools = hub.Pools.Select((p, i) => p with { Nodes = nodes[i] }).ToArray();
        var sites = hub.Sites.Select(s => ScaleSite(s, hub.Pools, pools, factor)).ToArray();
        var fleet = new int[hub.Accelerators.Length];
        foreach (var pool in pools)
        {
            fleet[pool.Accelerator.Index] += pool.Gpus;
        }
        var tenants = hub.Tenants.Select(t => t with
        {
            // Floor of each guarantee times its model's fleet ratio: the guarantees of a model still fit its fleet.
            GuaranteedGpus = [.. t.GuaranteedGpus.Select((g, a) => hub.GpusByAccelerator[a] == 0 ? 0 : (int)((long)g * fleet[a] / hub.GpusByAccelerator[a]))],
            BorrowLimitGpus = (int)Math.Round(t.BorrowLimitGpus * factor),
        }).ToArray();
        return new HubModel($"{hub.Name}-{totalGpus}", hub.Countries, hub.Stacks, hub.Accelerators, sites, pools, hub.Links, tenants,
            hub.Datasets, hub.ConfiguredAiSystems.Systems)
        {
            RequireAiSystemForPersonalData = hub.RequireAiSystemForPersonalData,
        };
    }

    /// <summary>Nodes per pool: the floor of each exact share (at least 1), then one more node by largest remainder while GPUs are missing.</summary>
    private static int[] PoolNodes(NodePool[] pools, double factor, int totalGpus)
    {
        var exact = pools.Select(p => p.Nodes * factor).ToArray();
        var nodes = exact.Select(x => Math.Max(1, (int)Math.Floor(x))).ToArray();
        var missing = totalGpus - pools.Select((p, i) => nodes[i] * p.GpusPerNode).Sum();
        foreach (var i in Enumerable.Range(0, pools.Length).Where(i => nodes[i] < exact[i]).OrderByDescending(i => exact[i] - nodes[i]))
        {
            if (pools[i].GpusPerNode <= missing)
            {
                nodes[i]++;
                missing -= pools[i].GpusPerNode;
            }
        }
        return nodes;
    }

    /// <summary>IT cap, grid and cooling grow with the nameplate power of the site's pools; a site without pools with the hub.</summary>
    private static Site ScaleSite(Site site, NodePool[] before, NodePool[] after, double factor)
    {
        var was = site.PoolIndexes.Sum(i => Nameplate(before[i]));
        var ratio = was > 0 ? site.PoolIndexes.Sum(i => Nameplate(after[i])) / was : factor;
        return site with
        {
            ItCapWatts = site.ItCapWatts * ratio,
            GridWatts = site.GridWatts * ratio,
            Cooling = site.Cooling with { CapacityWatts = site.Cooling.CapacityWatts * ratio },
        };
    }

    private static double Nameplate(NodePool pool) => pool.Gpus * pool.Accelerator.TdpWatts + pool.Nodes * pool.NodeOverheadWatts;
}
