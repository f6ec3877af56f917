using Serai.Core.Catalogue;
using Serai.Core.Model;

namespace Serai.Simulation.Hubs;

/// <summary>
/// GPU models that public traces name but the hub catalogue does not carry (Alibaba's T4, V100, P100, A10), with
/// vendor datasheet figures: memory, dense 16-bit tensor TFLOPS (FP16 where the chip has no BF16), TDP. Idle draw is
/// an estimate (about a seventh of TDP). Other names resolve through <see cref="AcceleratorCatalogue"/>; Alibaba's
/// anonymised G2 and G3 are not known and must be mapped (<c>"accelerators": {"G2": "A10"}</c>).
/// </summary>
public static class TraceAccelerators
{
    public static IReadOnlyList<AcceleratorSpec> All { get; } =
    [
        new("T4", "NVIDIA", "cuda", 16, 65, 70, 10),          // NVIDIA T4 datasheet: 65 TFLOPS FP16 tensor, 70 W
        new("V100M16", "NVIDIA", "cuda", 16, 125, 300, 40),   // V100 SXM2 16 GB: 125 TFLOPS FP16 tensor, 300 W
        new("V100M32", "NVIDIA", "cuda", 32, 125, 300, 40),   // V100 SXM2 32 GB
        new("P100", "NVIDIA", "cuda", 16, 21.2, 300, 35),     // P100 SXM2: 21.2 TFLOPS FP16, 300 W
        new("A10", "NVIDIA", "cuda", 24, 125, 150, 20),       // A10: 125 TFLOPS BF16 tensor (dense), 150 W
    ];

    /// <summary>The hub catalogue's entry, else this table's; null when neither knows the model.</summary>
    public static AcceleratorSpec? Find(string model) =>
        AcceleratorCatalogue.Find(model) ?? All.FirstOrDefault(a => AcceleratorSpec.Key(a.Model) == AcceleratorSpec.Key(model));
}
