using Serai.Config.Reading;
using Serai.Core.Model;

namespace Serai.Config.Sections;

/// <summary>
/// <c>accelerators:</c> adds models to the built-in catalogue or overrides figures of a built-in one (keys left out
/// keep the built-in value; a new model must give all of them except idleWatts).
/// </summary>
internal static class AcceleratorSection
{
    private static readonly string[] Keys = ["model", "vendor", "stack", "memoryGb", "bf16Tflops", "tdpWatts", "idleWatts"];

    public static void Read(MapReader root, LoadContext context)
    {
        var items = root.List("accelerators", required: false, "a list of accelerator models");
        var seen = new NameTable("accelerator", context.Errors);
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var map = MapReader.Open(items![i], $"accelerators[{i}]", context.Errors, Keys);
            if (map?.Text("model", required: true, "an accelerator model name, e.g. H200") is not { } model)
            {
                continue;
            }
            seen.Declare(AcceleratorSpec.Key(model), i, map.Get("model")!, map.Field("model"));
            var index = context.CatalogueIndex(model);
            var spec = Read(map, model, index is { } at ? context.Catalogue[at] : null);
            if (spec is null)
            {
                continue;
            }
            if (index is { } existing)
            {
                context.Catalogue[existing] = spec;
            }
            else
            {
                context.Catalogue.Add(spec);
            }
            context.Declared.Add(index ?? context.Catalogue.Count - 1);
        }
        context.FreezeCatalogue();
    }

    private static AcceleratorSpec? Read(MapReader map, string model, AcceleratorSpec? builtIn)
    {
        var vendor = map.Text("vendor", builtIn is null, "a vendor name, e.g. NVIDIA, AMD, Huawei") ?? builtIn?.Vendor;
        var stack = map.Text("stack", builtIn is null, Names.StackAllowed) ?? builtIn?.Stack;
        if (map.Has("stack") && stack is not null && !Names.IsStack(stack))
        {
            map.Errors.Add(map.Get("stack")!, map.Field("stack"), stack, Names.StackAllowed);
            stack = null;
        }
        var memory = map.Number("memoryGb", NumberRule.Positive("GB"), builtIn?.MemoryGb);
        var tflops = map.Number("bf16Tflops", NumberRule.Positive("dense BF16 TFLOPS"), builtIn?.Bf16Tflops);
        var tdp = map.Number("tdpWatts", NumberRule.Positive("W"), builtIn?.TdpWatts);
        var idleFallback = builtIn?.IdleWatts ?? Math.Round(0.12 * (tdp ?? 0));
        var idle = map.Number("idleWatts", NumberRule.AtLeast(0, "W"), idleFallback);
        if (idle is { } i && tdp is { } t && i > t)
        {
            map.Errors.Add(map.Get("idleWatts") ?? map.Get("tdpWatts") ?? map.Node, map.Field("idleWatts"), NumberRule.Format(i),
                $"at most tdpWatts ({NumberRule.Format(t)} W)");
            return null;
        }
        if (vendor is null || stack is null || memory is null || tflops is null || tdp is null || idle is null)
        {
            return null;
        }
        return new AcceleratorSpec(builtIn?.Model ?? model, vendor, stack.ToLowerInvariant(), memory.Value, tflops.Value, tdp.Value, idle.Value);
    }
}
