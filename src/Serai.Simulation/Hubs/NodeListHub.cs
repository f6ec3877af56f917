using Serai.Core.Model;
using Serai.Simulation.Traces;

namespace Serai.Simulation.Hubs;

/// <summary>
/// A hub from a trace's node list: one site (Astana's climate, carbon and price, as the ITP hub's first site), one pool
/// per GPU model and GPUs per node with the list's node counts, and one tenant per trace tenant key of equal weight
/// that may borrow the whole hub. Node overhead is 375 W per GPU slot (3 kW for 8 GPUs, as the ITP hub); IT cap =
/// 0.95 × nameplate, cooling = 1.1 × nameplate, grid = 1.6 × IT cap, so the envelope does not bind.
/// </summary>
public static class NodeListHub
{
    public const double OverheadWattsPerGpuSlot = 375;

    /// <param name="name">The hub name (the node list file name).</param>
    /// <param name="nodes">The node list's GPU nodes.</param>
    /// <param name="tenantKeys">The trace's tenant keys, each a tenant of the hub.</param>
    /// <param name="modelMap">Trace GPU model → catalogue model, for models the catalogues lack (Alibaba's G2, G3).</param>
    public static HubModel Build(string name, IReadOnlyList<TraceNode> nodes, IReadOnlyList<string> tenantKeys, IReadOnlyDictionary<string, string> modelMap)
    {
        if (nodes.Count == 0)
        {
            throw new ArgumentException($"node list {name}: no node with GPUs");
        }
        var b = new HubBuilder(name);
        var specs = new Dictionary<string, Core.Model.AcceleratorSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in nodes.Select(n => n.Model).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            var target = modelMap.TryGetValue(model, out var mapped) ? mapped : model;
            specs[model] = TraceAccelerators.Find(target) ?? throw new ArgumentException(
                $"node list {name}: GPU model '{model}' is not known; map it to a known one in the mapping file (\"accelerators\": {{\"{model}\": \"A10\"}}); known: "
                + string.Join(", ", Core.Catalogue.AcceleratorCatalogue.All.Concat(TraceAccelerators.All).Select(a => a.Model)));
        }
        foreach (var spec in specs.Values.DistinctBy(s => s.Model).OrderBy(s => s.Model, StringComparer.Ordinal))
        {
            b.Accelerator(spec);
        }
        var pools = nodes.GroupBy(n => (Model: specs[n.Model].Model, n.Gpus))
            .OrderBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Gpus)
            .Select(g => (g.Key.Model, g.Key.Gpus, Nodes: g.Count()))
            .ToArray();
        var nameplate = pools.Sum(p => p.Nodes * p.Gpus * (specs.Values.First(s => s.Model == p.Model).TdpWatts + OverheadWattsPerGpuSlot));
        b.Site("trace-site", Climate.Astana, nameplate * 0.95, nameplate * 0.95 * 1.6, nameplate * 1.1);
        foreach (var (model, gpus, count) in pools)
        {
            b.Pool($"{model.ToLowerInvariant()}-x{gpus}", model, count, gpus, OverheadWattsPerGpuSlot * gpus);
        }
        var total = pools.Sum(p => p.Nodes * p.Gpus);
        foreach (var key in tenantKeys.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            b.Tenant(key, 1, total);
        }
        if (tenantKeys.Count == 0)
        {
            b.Tenant("default", 1, total);
        }
        return b.Build();
    }
}
