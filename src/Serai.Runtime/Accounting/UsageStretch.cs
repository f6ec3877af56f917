namespace Serai.Runtime.Accounting;

/// <summary>
/// One accounted stretch of a job holding GPUs at one power: from a start, placement or power change (or a month
/// boundary) to its stop, next power change (or the next month). Energy is at the meter (IT × PUE hour by hour).
/// </summary>
public readonly record struct UsageStretch(
    long JobId,
    int Tenant,
    int Site,
    int Accelerator,
    long StartUnix,
    long EndUnix,
    int Gpus,
    double GpuSeconds,
    double ItKwh,
    double FacilityKwh,
    double Co2Kg,
    double CostUsd);
