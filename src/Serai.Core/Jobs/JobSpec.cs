using Serai.Core.Model;

namespace Serai.Core.Jobs;

/// <summary>
/// What a tenant asks for, resolved against a hub (tenant, datasets, AI system and stacks as indexes). A job is a
/// gang: all its GPUs start together or not at all. Times are Unix seconds.
/// </summary>
public sealed record JobSpec
{
    public required JobId Id { get; init; }
    public required int Tenant { get; init; }
    public required int Gpus { get; init; }

    /// <summary>GPUs the job wants on each node; 0 lets the scheduler pack as the pool allows.</summary>
    public int GpusPerNode { get; init; }

    /// <summary>
    /// Thousandths of one GPU for a one-GPU job that shares its GPU with other such jobs (1–999, Alibaba's
    /// <c>gpu_milli</c>); 0 or 1000 for whole GPUs, which are never shared.
    /// </summary>
    public int GpuMilli { get; init; }

    /// <summary>True when the job asks for part of one GPU (see <see cref="GpuMilli"/>).</summary>
    public bool SharesGpu => GpuMilli is > 0 and < Gpu.Milli;

    /// <summary>GPUs' worth the job uses: its GPUs, or its share of one (power, energy and GPU-seconds follow it).</summary>
    public double GpuShare => SharesGpu ? GpuMilli / (double)Gpu.Milli : Gpus;

    /// <summary><see cref="GpuShare"/> in thousandths of a GPU, exact for sums.</summary>
    public long GpuShareMilli => SharesGpu ? GpuMilli : (long)Gpus * Gpu.Milli;

    /// <summary>Software stacks the job can run on, a bit per hub stack.</summary>
    public required uint StackMask { get; init; }

    public double MinGpuMemoryGb { get; init; }

    /// <summary>Only this accelerator model (index), or -1 for any model that fits the stacks and memory.</summary>
    public int Accelerator { get; init; } = -1;

    public PriorityClass Priority { get; init; } = PriorityClass.Normal;
    public required long SubmitUnix { get; init; }
    public long? EstimatedSeconds { get; init; }
    public long? DeadlineUnix { get; init; }
    public bool Deferrable { get; init; }
    public bool Checkpointable { get; init; }
    public int[] Datasets { get; init; } = [];

    /// <summary>Index of the AI system this job runs, or -1.</summary>
    public int AiSystem { get; init; } = -1;

    /// <summary>Expected GPU power as a fraction of TDP while running.</summary>
    public double PowerFraction { get; init; } = 0.8;

    public string? Name { get; init; }
}
