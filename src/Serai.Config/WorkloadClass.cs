namespace Serai.Config;

/// <summary>
/// A workload class of the hub file: the tenants whose jobs it describes (by index) and their throughput by accelerator
/// model relative to the trace's reference GPU, which the simulator's speed model uses instead of the TFLOPS ratio.
/// </summary>
public sealed record WorkloadClass(string Name, IReadOnlyList<int> Tenants, IReadOnlyDictionary<string, double> Throughput);
