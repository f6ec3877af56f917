namespace Serai.Config.Catalogue;

/// <summary>
/// The built-in accelerator catalogue (FACTS.md: vendor datasheets). A hub file names these models directly and may
/// override or add entries under <c>accelerators:</c>. Idle draw is measured only for H100/H200 (~80 W); the other
/// idle figures are estimates.
/// </summary>
public static class DefaultCatalogue
{
    public static IReadOnlyList<AcceleratorSpec> Accelerators { get; } =
    [
        new("A100", "NVIDIA", "cuda", 80, 312, 400, 55),
        new("A100-40GB", "NVIDIA", "cuda", 40, 312, 400, 50),
        new("H100", "NVIDIA", "cuda", 80, 989, 700, 80),
        new("H200", "NVIDIA", "cuda", 141, 989, 700, 80),
        new("B200", "NVIDIA", "cuda", 180, 2250, 1000, 140),
        new("MI300X", "AMD", "rocm", 192, 1307, 750, 140),
        new("Ascend-910B", "Huawei", "cann", 64, 320, 310, 60),
        new("Gaudi-3", "Intel", "gaudi", 128, 1835, 900, 150),
    ];

    public static AcceleratorSpec? Find(string model) =>
        Accelerators.FirstOrDefault(a => AcceleratorSpec.Key(a.Model) == AcceleratorSpec.Key(model));
}
