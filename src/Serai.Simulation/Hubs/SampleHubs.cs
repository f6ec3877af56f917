using Serai.Core.Catalogue;
using Serai.Core.Model;

namespace Serai.Simulation.Hubs;

/// <summary>
/// Hubs built in code: a Central Asian hub of any size (the bundled sample and the 100,000-GPU benchmark) and the
/// hub the ITP trace replays on. Sizes, caps and grid connections are stated here and in docs/simulator.md.
/// </summary>
public static class SampleHubs
{
    /// <summary>Names accepted by --hub besides a file.</summary>
    public const string BuiltInNames = "central-asia[:GPUS], itp[:GPUS]";

    public const int ItpDefaultGpus = 1536;

    /// <summary>
    /// Five sites: Astana (H200), Ekibastuz (H100, the large NVIDIA site), Bukhara (MI300X), Termez (Ascend 910B and
    /// MI300X, hot, tight grid connection), Bishkek (H100, hydro). Pools are sized as shares of <paramref name="totalGpus"/>.
    /// </summary>
    public static HubModel CentralAsia(int totalGpus = 4096)
    {
        int Nodes(double share) => Math.Max(1, (int)Math.Round(totalGpus * share / 8));
        var b = new HubBuilder($"central-asia-{totalGpus}").WithDefaultCatalogue();
        AddSite(b, "kz-astana", Climate.Astana, 1.45, ("h200", "H200", Nodes(0.20)));
        AddSite(b, "kz-ekibastuz", Climate.Ekibastuz, 1.45, ("h100", "H100", Nodes(0.40)));
        AddSite(b, "uz-bukhara", Climate.Bukhara, 1.45, ("mi300x", "MI300X", Nodes(0.15)));
        AddSite(b, "uz-termez", Climate.Termez, 1.30, ("ascend", "Ascend-910B", Nodes(0.10)), ("mi300x", "MI300X", Nodes(0.05)));
        AddSite(b, "kg-bishkek", Climate.Bishkek, 1.45, ("h100", "H100", Nodes(0.10)));
        var all = totalGpus;
        PriorityClass[] normal = [PriorityClass.High, PriorityClass.Normal, PriorityClass.Low, PriorityClass.Preemptible];
        return b
            .Link("kz-astana", "kz-ekibastuz", 400, 5, false)
            .Link("kz-astana", "kg-bishkek", 100, 15, true)
            .Link("kz-astana", "uz-bukhara", 100, 25, true)
            .Link("uz-bukhara", "uz-termez", 200, 6, false)
            .Tenant("kz-emergencies", 2, all, ["KZ"], [PriorityClass.Emergency, .. normal])
            .Tenant("kz-hydromet", 1, all, null, [PriorityClass.Emergency, .. normal])
            .Tenant("uz-agriculture", 1, all, ["UZ"])
            .Tenant("kz-llm-consortium", 4, all, ["KZ", "KG"])
            .Tenant("university", 2, all)
            .Tenant("startups", 1, all)
            .Tenant("foreign-partner", 1, all, ["UZ", "KG"])
            .Dataset("kz-citizens", "kz-emergencies", 500, "kz-astana", "KZ")
            .Dataset("uz-agri-fields", "uz-agriculture", 2000, "uz-bukhara", "UZ")
            .AiSystem("flood-warning", "kz-emergencies", RiskClass.High, true)
            .AiSystem("citizen-scoring", "startups", RiskClass.High, false)
            .Build();
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
        int? gpus = parts.Length == 2 && int.TryParse(parts[1], out var g) && g >= 8 ? g : null;
        if (parts.Length == 2 && gpus is null)
        {
            throw new ArgumentException($"--hub {text}: the size after ':' must be a GPU count ≥ 8");
        }
        return parts[0].ToLowerInvariant() switch
        {
            "central-asia" => CentralAsia(gpus ?? 4096),
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
