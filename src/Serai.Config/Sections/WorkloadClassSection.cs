using Serai.Config.Reading;
using Serai.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Sections;

/// <summary>
/// <c>workloadClasses:</c> per-class throughput figures for the simulator's speed model, overriding the ratio of
/// catalogue TFLOPS for the accelerators they name; each class names the tenants whose jobs it describes.
/// </summary>
internal static class WorkloadClassSection
{
    private static readonly string[] Keys = ["name", "tenants", "throughput"];

    public static IReadOnlyList<WorkloadClass> Read(MapReader root, LoadContext context, HubModel? hub)
    {
        var items = root.List("workloadClasses", required: false, "a list of workload classes, each with name, tenants, throughput");
        if (items is null)
        {
            return [];
        }
        var classes = new List<WorkloadClass>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var classOf = new Dictionary<int, string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (MapReader.Open(items[i], $"workloadClasses[{i}]", context.Errors, Keys) is not { } map)
            {
                continue;
            }
            var name = map.Text("name", required: true, "a name, unique among the classes");
            if (name is not null && !names.Add(name))
            {
                map.Errors.Add(map.Get("name")!, map.Field("name"), name, "a name not used by another class");
                name = null;
            }
            var tenants = Tenants(map, context, classOf, name);
            var throughput = Throughput(map, hub);
            if (name is not null && tenants is not null && throughput is not null)
            {
                classes.Add(new WorkloadClass(name, tenants, throughput));
            }
        }
        return classes;
    }

    private static int[]? Tenants(MapReader map, LoadContext context, Dictionary<int, string> classOf, string? name)
    {
        if (!map.Has("tenants"))
        {
            map.Missing("tenants", "a list of tenants whose jobs are of this class");
            return null;
        }
        if (map.Texts("tenants", context.Tenants.Known) is not { } items)
        {
            return null;
        }
        var tenants = new List<int>();
        var ok = true;
        foreach (var (node, value, field) in items)
        {
            if (context.Tenants.Resolve(value, node, field) is not { } t)
            {
                ok = false;
                continue;
            }
            if (classOf.TryGetValue(t, out var other))
            {
                map.Errors.Add(node, field, value, $"a tenant of no other class (it is in {other})");
                ok = false;
                continue;
            }
            classOf[t] = name ?? "?";
            tenants.Add(t);
        }
        return ok ? [.. tenants] : null;
    }

    private static Dictionary<string, double>? Throughput(MapReader map, HubModel? hub)
    {
        if (map.Get("throughput") is not { } node)
        {
            map.Missing("throughput", "a mapping of accelerator model to relative throughput");
            return null;
        }
        if (node is not YamlMappingNode mapping)
        {
            map.Errors.Add(node, map.Field("throughput"), ErrorSink.Show(node), "a mapping of accelerator model to relative throughput");
            return null;
        }
        var result = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var ok = true;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var model = (keyNode as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("throughput")}.{model}";
            var value = map.Number(valueNode, field, NumberRule.Between(0, 100, "relative to the trace's reference GPU") with { MinExclusive = true });
            var index = hub?.AcceleratorIndex(model);
            if (hub is not null && index is null)
            {
                map.Errors.Add(keyNode, field, model, $"an accelerator model of the hub: {string.Join(", ", hub.Accelerators.Select(a => a.Model))}");
                ok = false;
                continue;
            }
            if (value is null)
            {
                ok = false;
                continue;
            }
            result[index is { } a ? hub!.Accelerators[a].Model : model] = value.Value;
        }
        return ok ? result : null;
    }
}
