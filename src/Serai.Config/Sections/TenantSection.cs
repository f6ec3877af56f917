using Serai.Config.Reading;
using Serai.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Serai.Config.Sections;

/// <summary>
/// <c>tenants:</c> guaranteed GPUs per accelerator model, borrowing limit, fair-share weight, jurisdictions, classes, and
/// the machine account its jobs run as on local sites (<c>runAs</c>).
/// </summary>
internal static partial class TenantSection
{
    private static readonly string[] Keys = ["name", "guaranteedGpus", "borrowLimitGpus", "fairShareWeight", "allowedCountries", "priorityClasses", "runAs"];
    private static readonly PriorityClass[] DefaultClasses = [PriorityClass.Normal, PriorityClass.Low, PriorityClass.Preemptible];

    public static Tenant?[] Read(MapReader root, LoadContext context, IReadOnlyList<NodePool?> pools)
    {
        var items = root.List("tenants", required: true, "a list of tenants, each with a name");
        context.Tenants.Incomplete |= items is null;
        var tenants = new Tenant?[items?.Count ?? 0];
        var capacity = new int[context.Catalogue.Count];
        foreach (var pool in pools)
        {
            capacity[pool?.Accelerator.Index ?? 0] += pool?.Gpus ?? 0;
        }
        var guaranteeNodes = new List<(int Accelerator, int Gpus, YamlNode Node, string Field)>();
        for (var i = 0; i < tenants.Length; i++)
        {
            var map = MapReader.Open(items![i], $"tenants[{i}]", context.Errors, Keys);
            context.Tenants.Incomplete |= map is null;
            if (map is not null)
            {
                tenants[i] = Read(map, i, context, capacity.Sum(), guaranteeNodes);
            }
        }
        if (!context.FleetIncomplete)
        {
            CheckCapacity(context, capacity, guaranteeNodes);
        }
        return tenants;
    }

    private static Tenant? Read(MapReader map, int index, LoadContext context, int totalGpus, List<(int, int, YamlNode, string)> guaranteeNodes)
    {
        var name = context.Tenants.Read(map, "name", index);
        var guarantees = Guarantees(map, context, guaranteeNodes);
        var borrow = map.Integer("borrowLimitGpus", 0, int.MaxValue / 2, totalGpus);
        var weight = map.Number("fairShareWeight", NumberRule.Positive("relative share of idle capacity"), 1);
        var countries = context.CountryMask(map, "allowedCountries");
        var classes = Classes(map);
        var runAs = RunAs(map);
        if (name is not null && runAs is not null)
        {
            context.RunAs[name] = runAs;
        }
        if (name is null || guarantees is null || borrow is null || weight is null || countries is null || classes is null)
        {
            return null;
        }
        return new Tenant(index, name, guarantees, borrow.Value, weight.Value, countries.Value, classes.Value);
    }

    private static int[]? Guarantees(MapReader map, LoadContext context, List<(int, int, YamlNode, string)> guaranteeNodes)
    {
        var guarantees = new int[context.Catalogue.Count];
        if (map.Get("guaranteedGpus") is not { } node)
        {
            return guarantees;
        }
        if (node is not YamlMappingNode mapping)
        {
            map.Errors.Add(node, map.Field("guaranteedGpus"), ErrorSink.Show(node), "a mapping of accelerator model to GPUs, e.g. {H200: 64}");
            return null;
        }
        var ok = true;
        foreach (var (key, value) in mapping.Children)
        {
            var model = (key as YamlScalarNode)?.Value ?? "";
            var field = $"{map.Field("guaranteedGpus")}.{model}";
            var accelerator = context.ResolveAccelerator(model, key, field);
            var gpus = map.Integer(value, field, 0, 10_000_000, "an integer ≥ 0 (GPUs)");
            ok &= accelerator is not null && gpus is not null;
            if (accelerator is { } a && gpus is { } g)
            {
                guarantees[a] += g;
                guaranteeNodes.Add((a, g, value, field));
            }
        }
        return ok ? guarantees : null;
    }

    /// <summary>An existing unprivileged account of the machine (a POSIX user name); never root.</summary>
    private static string? RunAs(MapReader map)
    {
        var account = map.Text("runAs", required: false, "a user name of the machine (letters, digits, '-', '_'; at most 32), not root");
        if (account is null)
        {
            return null;
        }
        if (!UserName().IsMatch(account) || account == "root")
        {
            map.Errors.Add(map.Get("runAs")!, map.Field("runAs"), account, "a user name of the machine (lower-case letters, digits, '-', '_'; at most 32), not root");
            return null;
        }
        return account;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex UserName();

    private static int? Classes(MapReader map)
    {
        var items = map.Texts("priorityClasses", PriorityClasses.Allowed);
        if (items is null)
        {
            return null;
        }
        if (!map.Has("priorityClasses"))
        {
            return DefaultClasses.Aggregate(0, (mask, c) => mask | c.Bit());
        }
        var mask = 0;
        var ok = items.Count > 0;
        if (!ok)
        {
            map.Errors.Add(map.Get("priorityClasses")!, map.Field("priorityClasses"), "(an empty list)", $"one or more of {PriorityClasses.Allowed}");
        }
        foreach (var (node, value, field) in items)
        {
            if (PriorityClasses.TryParse(value, out var priority))
            {
                mask |= priority.Bit();
                continue;
            }
            map.Errors.Add(node, field, value, $"one of the priority classes {PriorityClasses.Allowed}");
            ok = false;
        }
        return ok ? mask : null;
    }

    /// <summary>Guarantees of each model summed over tenants may not exceed the hub's GPUs of that model.</summary>
    private static void CheckCapacity(LoadContext context, int[] capacity, List<(int Accelerator, int Gpus, YamlNode Node, string Field)> guarantees)
    {
        var sums = new int[capacity.Length];
        foreach (var (accelerator, gpus, node, field) in guarantees)
        {
            var before = sums[accelerator];
            sums[accelerator] += gpus;
            if (before <= capacity[accelerator] && sums[accelerator] > capacity[accelerator])
            {
                var model = context.Catalogue[accelerator].Model;
                context.Errors.Add(node, field, $"{gpus} (guarantees of {model} reach {sums[accelerator]} with this tenant)",
                    $"guarantees summed over tenants at most the hub's {capacity[accelerator]} {model} GPUs");
            }
        }
    }
}
