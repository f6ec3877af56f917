using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary><c>pools:</c> of a site: identical nodes of one accelerator model, grouped in blocks (leaf switch, NVLink domain).</summary>
internal static class PoolSection
{
    /// <summary>CPUs, NICs, fans per GPU: FACTS.md gives 2.8–4.6 kW for an 8-GPU DGX node besides its GPUs.</summary>
    public const double DefaultOverheadWattsPerGpu = 400;
    public const int DefaultNodesPerBlock = 32;
    public const int MaxGpusPerNode = 64;

    private static readonly string[] Keys = ["name", "accelerator", "nodes", "gpusPerNode", "nodeOverheadWatts", "nodesPerBlock"];

    /// <summary>Reads the pools of one site into <paramref name="pools"/> (hub-wide indexes) and returns their indexes.</summary>
    public static int[] Read(MapReader site, int siteIndex, LoadContext context, List<NodePool?> pools)
    {
        var items = site.List("pools", required: false, "a list of node pools, each with name, accelerator, nodes, gpusPerNode");
        var names = new NameTable("pool", context.Errors);
        var indexes = new List<int>();
        var errorsBefore = context.Errors.Count;
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var map = MapReader.Open(items![i], $"{site.Field("pools")}[{i}]", context.Errors, Keys);
            if (map is null)
            {
                continue;
            }
            var index = pools.Count;
            pools.Add(Read(map, index, siteIndex, context, names));
            indexes.Add(index);
        }
        context.FleetIncomplete |= context.Errors.Count > errorsBefore;
        return [.. indexes];
    }

    private static NodePool? Read(MapReader map, int index, int siteIndex, LoadContext context, NameTable names)
    {
        var name = names.Read(map, "name", index);
        var model = map.Text("accelerator", required: true, "an accelerator model, e.g. H200");
        var accelerator = model is null ? null : context.ResolveAccelerator(model, map.Get("accelerator")!, map.Field("accelerator"));
        var nodes = map.Integer("nodes", 1, 1_000_000);
        var gpusPerNode = map.Integer("gpusPerNode", 1, MaxGpusPerNode);
        var overhead = map.Number("nodeOverheadWatts", NumberRule.AtLeast(0, "W per node besides its GPUs: CPUs, NICs, fans"),
            DefaultOverheadWattsPerGpu * (gpusPerNode ?? 0));
        var perBlock = map.Integer("nodesPerBlock", 1, 1_000_000, Math.Min(nodes ?? 1, DefaultNodesPerBlock));
        if (name is null || accelerator is null || nodes is null || gpusPerNode is null || overhead is null || perBlock is null)
        {
            return null;
        }
        return new NodePool(index, name, siteIndex, context.CatalogueAccelerators[accelerator.Value], nodes.Value, gpusPerNode.Value,
            overhead.Value, perBlock.Value);
    }
}
