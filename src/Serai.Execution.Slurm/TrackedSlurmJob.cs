namespace Serai.Execution.Slurm;

/// <summary>One attempt this backend watches in Slurm; its fields are guarded by the backend's lock.</summary>
internal sealed class TrackedSlurmJob(JobRef job, string slurmId)
{
    public JobRef Job { get; } = job;

    /// <summary>Slurm's job id; empty until known (reattached while squeue did not answer).</summary>
    public string SlurmId { get; set; } = slurmId;

    public string Name { get; } = SlurmNames.JobName(job.JobId, job.Attempt);

    /// <summary>Slurm's submit time as first seen; with name and comment it tells this job from a reused id.</summary>
    public string? SubmitTime { get; set; }

    public string LastState { get; set; } = "SUBMITTED";

    public bool EverRan { get; set; }

    /// <summary>Times Serai asked Slurm which GPUs the running attempt got (it stops after a few).</summary>
    public int GpuLookups { get; set; }

    public bool GpusNoted { get; set; }

    /// <summary>Successful polls in a row that did not list the job.</summary>
    public int Misses { get; set; }

    /// <summary>Set once Serai asked for a stop: the first stop's kind answers every later one.</summary>
    public StopKind? Stopping { get; set; }

    public bool WasRunningAtStop { get; set; }

    /// <summary>Serai cancelled it at the site on its own (never starts, requeued by Slurm); this ending is reported once it is gone.</summary>
    public SlurmReading? GivingBack { get; set; }

    public DateTimeOffset LastCancelSent { get; set; }

    public bool Finished { get; set; }
}
