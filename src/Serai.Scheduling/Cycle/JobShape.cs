using Serai.Core.Jobs;
using Serai.Core.Model;

namespace Serai.Scheduling.Cycle;

/// <summary>
/// Everything but size and timing that decides where a job may go. Within one cycle, capacity only shrinks unless
/// something is released, so once a shape fails for want of room at N GPUs, it fails at N or more too.
/// </summary>
internal readonly struct JobShape : IEquatable<JobShape>
{
    private readonly int[] _datasets;
    private readonly int _hash;

    public JobShape(JobSpec job)
        : this(job, job.Priority, job.AiSystem, job.PowerFraction)
    {
    }

    private JobShape(JobSpec job, PriorityClass priority, int aiSystem, double powerFraction)
    {
        Tenant = job.Tenant;
        GpusPerNode = job.GpusPerNode;
        GpuMilli = job.SharesGpu ? job.GpuMilli : 0;
        StackMask = job.StackMask;
        MinGpuMemoryGb = job.MinGpuMemoryGb;
        Accelerator = job.Accelerator;
        Priority = priority;
        AiSystem = aiSystem;
        PowerFraction = powerFraction;
        _datasets = job.Datasets;
        _hash = Hash();
    }

    /// <summary>The shape as the permanent filters see it: class, AI system and power do not matter there.</summary>
    public static JobShape ForPermanentFilters(JobSpec job) => new(job, PriorityClass.Normal, -1, 0);

    public int Tenant { get; }
    public int GpusPerNode { get; }

    /// <summary>Part of a GPU (a job that fails at 300 thousandths may fit at 200), else 0.</summary>
    public int GpuMilli { get; }
    public uint StackMask { get; }
    public double MinGpuMemoryGb { get; }
    public int Accelerator { get; }
    public PriorityClass Priority { get; }
    public int AiSystem { get; }
    public double PowerFraction { get; }

    public bool Equals(JobShape other) =>
        _hash == other._hash && Tenant == other.Tenant && GpusPerNode == other.GpusPerNode && GpuMilli == other.GpuMilli && StackMask == other.StackMask
        && MinGpuMemoryGb.Equals(other.MinGpuMemoryGb) && Accelerator == other.Accelerator && Priority == other.Priority
        && AiSystem == other.AiSystem && PowerFraction.Equals(other.PowerFraction)
        && _datasets.AsSpan().SequenceEqual(other._datasets);

    public override bool Equals(object? obj) => obj is JobShape other && Equals(other);

    public override int GetHashCode() => _hash;

    private int Hash()
    {
        var hash = new HashCode();
        hash.Add(Tenant);
        hash.Add(GpusPerNode);
        hash.Add(GpuMilli);
        hash.Add(StackMask);
        hash.Add(MinGpuMemoryGb);
        hash.Add(Accelerator);
        hash.Add(Priority);
        hash.Add(AiSystem);
        hash.Add(PowerFraction);
        foreach (var d in _datasets)
        {
            hash.Add(d);
        }
        return hash.ToHashCode();
    }
}
