namespace Serai.Server.Persistence;

/// <summary>A row of the jobs table.</summary>
public sealed class JobRow
{
    public long Id { get; set; }
    public string Tenant { get; set; } = "";
    public string? Name { get; set; }
    public string State { get; set; } = "";
    public string Priority { get; set; } = "";
    public long Gpus { get; set; }
    public string? IdempotencyKey { get; set; }
    public string RequestHash { get; set; } = "";
    public string Spec { get; set; } = "";
    public long SubmitUnix { get; set; }
    public long? AdmittedUnix { get; set; }
    public long? StartedUnix { get; set; }
    public long? EndedUnix { get; set; }
    public long? NotBeforeUnix { get; set; }
    public long? ExitCode { get; set; }
    public string? Reason { get; set; }
    public string? Placement { get; set; }
    public double? PowerFraction { get; set; }
    public string? BackendHandle { get; set; }
    public string? Site { get; set; }
    public string? Pool { get; set; }
    public long Preemptions { get; set; }
    public long UpdatedUnix { get; set; }

    /// <summary>Attempts dispatched so far.</summary>
    public long Attempt { get; set; }

    /// <summary>Usage of the running attempt is booked up to here (stretches are written when they close).</summary>
    public long? AccountedUntilUnix { get; set; }

    /// <summary>While stopping: why ("cancel" or "preempt"), so a restart knows where the job goes next.</summary>
    public string? StopCause { get; set; }
    public long? FirstStartedUnix { get; set; }

    /// <summary>The array this job is a task of (its first task's id), or null.</summary>
    public long? ArrayJobId { get; set; }
}
