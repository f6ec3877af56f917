namespace Serai.Core.Jobs;

/// <summary>A job waiting in the queue; <see cref="NotBeforeUnix"/> is set when it was deferred to a later hour.</summary>
public sealed record PendingJob(JobSpec Spec, long NotBeforeUnix = 0, bool WasDeferred = false)
{
    public JobId Id => Spec.Id;

    /// <summary>GPU-seconds the job received in earlier runs (a requeued job), for orders by attained service.</summary>
    public double AttainedGpuSeconds { get; init; }
}
