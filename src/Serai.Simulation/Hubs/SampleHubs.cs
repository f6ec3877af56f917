using Serai.Config.Samples;
using Serai.Core.Catalogue;
using Serai.Core.Model;

namespace Serai.Simulation.Hubs;

/// <summary>
/// The built-in hubs of --hub: the Central Asia region of hubs/central-asia.yaml at any size, and the hub the ITP
/// trace replays on, built here. Sizes, caps and grid connections of the ITP hub are stated here and in docs/simulator.md.
/// </summary>
public static class SampleHubs
{
    /// <summary>Names accepted by --hub besides a file.</summary>
    public const string BuiltInNames = "central-asia[:GPUS], itp[:GPUS]";

    public const int ItpDefaultGpus = 1536;

    /// <summary>
    /// hubs/central-asia.yaml (six sites in KZ, UZ, KG and AZ, eight tenants, six datasets, five AI systems) with its
    /// pools, power envelopes and guarantees scaled to about <paramref name="totalGpus"/> GPUs (see <see cref="HubScaler"/>).
    /// </summary>
    public static HubModel CentralAsia(int totalGpus = SampleRegion.DefaultGpus) => SampleRegion.CentralAsia(totalGpus);

    /// <summary>
    /// The region with every tenant allowed to borrow the whole hub: the engine benchmark's hub. The synthetic
    /// workload's tenant roles do not follow the YAML's quotas, and with them most of a large hub idles while jobs
    /// wait on borrowing limits; the benchmark measures the engine, not that policy.
    /// </summary>
    public static HubModel CentralAsiaUnbounded(int totalGpus)
    {
        var hub = CentralAsia(totalGpus);
        var tenants = hub.Tenants.Select(t => t with { BorrowLimitGpus = hub.TotalGpus }).ToArray();
        return new HubModel(hub.Name, hub.Countries, hub.Stacks, hub.Accelerators, hub.Sites, hub.Pools, hub.Links, tenants, hub.Datasets, hub.ConfiguredAiSystems.Systems)
        {
            RequireAiSystemForPersonalData = hub.RequireAiSystemForPersonalData,
        };
    }

    /// <summary>
    /// The hub the ITP trace replays on: three NVIDIA sites (Astana H200 40 %, Ekibastuz H100 40 %, Termez H100 20 %)
    /// and ten tenants cluster01..cluster10 of equal weight with no guarantees. Power and grid are sized so that the
    /// envelope does not bind in winter: the comparison is about scheduling, at equal capacity.
    /// </summary>
    public static HubModel Itp(int totalGpus = ItpDefaultGpus)
    {
        int Nodes(double share) => Math.Max(1, (int)Math.Round(totalGpus * share / 8));
        var b = new HubBuilder($"itp-{totalGpus}").WithDefaultCatalogue();
        AddSite(b, "kz-astana", Climate.Astana, 1.6, ("h200", "H200", Nodes(0.4)));
        AddSite(b, "kz-ekibastuz", Climate.Ekibastuz, 1.6, ("h100", "H100", Nodes(0.4)));
        AddSite(b, "uz-termez", Climate.Termez, 1.6, ("h100", "H100", Nodes(0.2)));
        b.Link("kz-astana", "kz-ekibastuz", 400, 5, false).Link("kz-astana", "uz-termez", 100, 30, true);
        for (var c = 1; c <= 10; c++)
        {
            b.Tenant($"cluster{c:00}", 1, totalGpus);
        }
        return b.Build();
    }

    /// <summary>Resolves "central-asia[:GPUS]" or "itp[:GPUS]"; null if the text names neither.</summary>
    public static HubModel? ByName(string text)
    {
        var parts = text.Split(':', 2);
        int? gpus = parts.Length == 2 && int.TryParse(parts[1], out var g) && g >= HubScaler.MinimumGpus ? g : null;
        if (parts.Length == 2 && gpus is null)
        {
            throw new ArgumentException($"--hub {text}: the size after ':' must be a GPU count ≥ {HubScaler.MinimumGpus}");
        }
        return parts[0].ToLowerInvariant() switch
        {
            SampleRegion.CentralAsiaName => CentralAsia(gpus ?? SampleRegion.DefaultGpus),
            "itp" => Itp(gpus ?? ItpDefaultGpus),
            _ => null,
        };
    }

    /// <summary>IT cap = nameplate × 0.95; cooling = nameplate × 1.1; grid = IT cap × <paramref name="gridOverIt"/>.</summary>
    private static void AddSite(HubBuilder b, string name, Climate climate, double gridOverIt, params (string Name, string Model, int Nodes)[] pools)
    {
        var nameplate = pools.Sum(p => p.Nodes * (8 * AcceleratorCatalogue.Get(p.Model).TdpWatts + 3000.0));
        var itCap = nameplate * 0.95;
        b.Site(name, climate, itCap, itCap * gridOverIt, nameplate * 1.1);
        foreach (var p in pools)
        {
            b.Pool(p.Name, p.Model, p.Nodes);
        }
    }
}
