namespace Serai.Core.Model;

/// <summary>A catalogue entry before it gets its index in a hub: the accelerator's published figures.</summary>
public sealed record AcceleratorSpec(
    string Model,
    string Vendor,
    string Stack,
    double MemoryGb,
    double Bf16Tflops,
    double TdpWatts,
    double IdleWatts)
{
    /// <summary>Lookup key: case, spaces, hyphens and underscores ignored, so "Ascend 910B" finds "Ascend-910B".</summary>
    public static string Key(string model) =>
        new(model.Where(c => c is not (' ' or '-' or '_')).Select(char.ToUpperInvariant).ToArray());

    /// <summary>This model as accelerator <paramref name="index"/> of a hub whose stack list puts its stack at <paramref name="stackBit"/>.</summary>
    public Accelerator ToAccelerator(int index, int stackBit) =>
        new(index, Model, Vendor, Stack, stackBit, MemoryGb, Bf16Tflops, TdpWatts, IdleWatts);
}
