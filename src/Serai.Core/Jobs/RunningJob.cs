namespace Serai.Core.Jobs;

/// <summary>A job holding GPUs: its placement, when it started and the power fraction it is allowed now.</summary>
public sealed record RunningJob(JobSpec Spec, Placement Placement, long StartUnix, double PowerFraction)
{
    public JobId Id => Spec.Id;

    /// <summary>When the job is expected to end, from its estimate; null when it has none.</summary>
    public long? ExpectedEndUnix => Spec.EstimatedSeconds is { } s ? StartUnix + s : null;
}
