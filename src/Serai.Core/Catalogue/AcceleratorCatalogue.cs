using Serai.Core.Model;

namespace Serai.Core.Catalogue;

/// <summary>
/// The one accelerator catalogue: hub files, hubs built in code and synthetic hubs all take their figures from here.
/// TDP, memory and dense BF16 figures are FACTS.md's vendor datasheet values; idle draw is measured only for
/// H100/H200 (about 80 W, public benchmark repos), the other idle figures are estimates.
/// </summary>
public static class AcceleratorCatalogue
{
    public static IReadOnlyList<AcceleratorSpec> All { get; } =
    [
        new("A100", "NVIDIA", "cuda", 80, 312, 400, 55),            // A100 SXM 80 GB: NVIDIA datasheet
        new("A100-40GB", "NVIDIA", "cuda", 40, 312, 400, 50),       // A100 SXM 40 GB: NVIDIA datasheet
        new("H100", "NVIDIA", "cuda", 80, 989, 700, 80),            // H100 SXM: NVIDIA datasheet; idle measured
        new("H200", "NVIDIA", "cuda", 141, 989, 700, 80),           // H200 SXM: NVIDIA datasheet; idle measured
        new("B200", "NVIDIA", "cuda", 180, 2250, 1000, 140),        // NVIDIA HGX B200 spec (180 GB usable)
        new("MI300X", "AMD", "rocm", 192, 1307, 750, 140),          // AMD datasheet, MLPerf v4.1 system descriptions
        new("Ascend-910B", "Huawei", "cann", 64, 320, 310, 60),     // vendor-derived press figures; TDP ~310 W (sources vary), 320 is FP16
        new("Gaudi-3", "Intel", "gaudi", 128, 1835, 900, 150),      // Intel spec
    ];

    /// <summary>The entry whose name matches <paramref name="model"/> by <see cref="AcceleratorSpec.Key"/>; null if none.</summary>
    public static AcceleratorSpec? Find(string model)
    {
        var key = AcceleratorSpec.Key(model);
        return All.FirstOrDefault(a => AcceleratorSpec.Key(a.Model) == key);
    }

    /// <summary>The entry for <paramref name="model"/>; a model outside the catalogue is a bug in the caller.</summary>
    public static AcceleratorSpec Get(string model) =>
        Find(model) ?? throw new ArgumentException(
            $"accelerator '{model}' is not in the catalogue; models: {string.Join(", ", All.Select(a => a.Model))}", nameof(model));
}
