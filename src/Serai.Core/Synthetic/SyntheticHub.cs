using Serai.Core.Catalogue;
using Serai.Core.Energy;
using Serai.Core.Model;

namespace Serai.Core.Synthetic;

/// <summary>Options for a random hub: how many sites, GPUs, tenants and datasets, and how tight the envelopes are.</summary>
public sealed record SyntheticHubOptions(
    int Sites = 5,
    int TotalGpus = 100_000,
    int Tenants = 8,
    int Datasets = 6,
    int Countries = 3,
    double ItCapHeadroom = 1.3,
    bool HotSites = true,
    bool TightEnvelopes = true);

/// <summary>
/// Builds random but valid hubs from a seeded <see cref="Random"/>: for property tests over many hubs and for the
/// scheduler benchmark (100,000 GPUs in 5 sites). The accelerator figures come from <see cref="AcceleratorCatalogue"/>.
/// </summary>
public static class SyntheticHub
{
    /// <summary>The models a synthetic hub draws from; their figures are the catalogue's.</summary>
    public static readonly string[] Models = ["H100", "H200", "MI300X", "Ascend-910B"];

    public static readonly string[] Stacks = ["cuda", "rocm", "cann"];

    public static HubModel Build(Random random, SyntheticHubOptions? options = null)
    {
        var o = options ?? new SyntheticHubOptions();
        var countries = Enumerable.Range(0, o.Countries).Select(i => $"C{i}").ToArray();
        var accelerators = Models.Select(AcceleratorCatalogue.Get).Select((a, i) => a.ToAccelerator(i, Array.IndexOf(Stacks, a.Stack))).ToArray();
        var pools = new List<NodePool>();
        var sites = new List<Site>();
        var gpusPerSite = o.TotalGpus / o.Sites;
        for (var s = 0; s < o.Sites; s++)
        {
            var poolIndexes = new List<int>();
            var poolCount = 1 + random.Next(3);
            var remaining = gpusPerSite;
            for (var p = 0; p < poolCount; p++)
            {
                // Tight hubs draw vendors at random; roomy ones rotate so that every stack is present.
                var accelerator = o.TightEnvelopes ? accelerators[random.Next(accelerators.Length)] : accelerators[(s + p) % accelerators.Length];
                var perNode = random.Next(4) == 0 ? 4 : 8;
                var gpus = p == poolCount - 1 ? remaining : remaining / (poolCount - p) ;
                var nodes = Math.Max(1, gpus / perNode);
                remaining -= nodes * perNode;
                poolIndexes.Add(pools.Count);
                pools.Add(new NodePool(pools.Count, $"pool{p}", s, accelerator, nodes, perNode, 2000 + random.Next(2000), 32));
            }
            var itWatts = poolIndexes.Sum(i => pools[i].Gpus * pools[i].Accelerator.TdpWatts + pools[i].Nodes * pools[i].NodeOverheadWatts);
            var itCap = o.TightEnvelopes ? itWatts * (0.6 + random.NextDouble() * (o.ItCapHeadroom - 0.6)) : itWatts * 1.1;
            var hot = o.HotSites && random.Next(2) == 0;
            var monthly = Enumerable.Range(0, 12).Select(m => (hot ? 15.0 : -5.0) + (hot ? 18 : 22) * Math.Sin(Math.PI * m / 11.0)).ToArray();
            var cooling = new CoolingModel(17, 5, 0.04, 0.05, 0.01, CoolingModel.RenewItCop, itCap * (o.TightEnvelopes ? 0.9 + random.NextDouble() * 0.4 : 1.2), 35, 0.02);
            var grid = itCap * (o.TightEnvelopes ? 1.1 + random.NextDouble() * 0.5 : 1.7);
            var utc = 5 + random.Next(2);
            sites.Add(new Site(s, $"site{s}", countries[s % o.Countries], s % o.Countries, utc, grid, itCap, cooling,
                SeriesGenerators.Temperature(monthly, Enumerable.Repeat(10.0 + random.Next(8), 12).ToArray(), utc),
                SeriesGenerators.Carbon(100 + random.Next(900), 0.05, 0.1, utc),
                SeriesGenerators.Price(0.04 + random.NextDouble() * 0.05, 1.4, 8, 22, utc),
                [.. poolIndexes]));
        }
        var capacity = new int[accelerators.Length];
        foreach (var pool in pools)
        {
            capacity[pool.Accelerator.Index] += pool.Gpus;
        }
        var tenants = new List<Tenant>();
        for (var t = 0; t < o.Tenants; t++)
        {
            var guaranteed = capacity.Select(c => c / (o.Tenants * 2) * random.Next(2)).ToArray();
            var allowedCountries = random.Next(3) == 0 ? 1UL << random.Next(o.Countries) : (1UL << o.Countries) - 1;
            var classes = random.Next(4) == 0 ? PriorityClasses.AllMask : PriorityClasses.AllMask & ~PriorityClass.Emergency.Bit();
            tenants.Add(new Tenant(t, $"tenant{t}", guaranteed, random.Next(o.TotalGpus / 2), 1 + random.Next(5), allowedCountries, classes));
        }
        var datasets = Enumerable.Range(0, o.Datasets).Select(d => new Dataset(d, $"dataset{d}", random.Next(o.Tenants),
            random.Next(1, 5000), random.Next(o.Sites), random.Next(2) == 0 ? 1UL << random.Next(o.Countries) : (1UL << o.Countries) - 1)).ToArray();
        var links = Enumerable.Range(1, o.Sites - 1).Select(s => new Link(s - 1, s, 10 + random.Next(390), 1 + random.Next(30), sites[s - 1].Country != sites[s].Country)).ToArray();
        var aiSystems = Enumerable.Range(0, 4).Select(i => new AiSystem(i, $"ai{i}", random.Next(o.Tenants), (RiskClass)(i % 3), i % 2 == 0)).ToArray();
        return new HubModel("synthetic", countries, Stacks, accelerators, sites, pools, links, tenants, datasets, aiSystems);
    }
}
