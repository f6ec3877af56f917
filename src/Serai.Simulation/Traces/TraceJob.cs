namespace Serai.Simulation.Traces;

/// <summary>
/// One job as a trace tells it, before mapping to the hub: submit time and duration in seconds (trace clock),
/// GPUs, and the attributes a mapping turns into hub concepts (tenant key, GPU type, QoS). <see cref="GpuMilli"/>
/// is the share of one GPU a fractional request asks for, in thousandths (0: whole GPUs).
/// </summary>
public sealed record TraceJob(string? Name, long SubmitSeconds, long DurationSeconds, int Gpus, string TenantKey, string? GpuType = null, string? Qos = null, int GpuMilli = 0);
