namespace Serai.Core.Model;

/// <summary>An accelerator model from the catalogue (one GPU or NPU), with the figures the scheduler needs.</summary>
public sealed record Accelerator(
    int Index,
    string Model,
    string Vendor,
    string Stack,
    int StackBit,
    double MemoryGb,
    double Bf16Tflops,
    double TdpWatts,
    double IdleWatts);
