namespace Serai.Execution;

/// <summary>
/// Where jobs really run (local processes, a Slurm cluster). The control loop dispatches placed jobs to it, cancels
/// and preempts through it, and hears back when a job's process ends.
/// </summary>
public interface IExecutionBackend
{
    string Name { get; }

    /// <summary>Raised from any thread when a dispatched or reattached job ends on its own.</summary>
    event Action<JobExited>? JobExited;

    /// <summary>Starts the job; returns an opaque handle to persist (a process id) or throws <see cref="DispatchException"/>.</summary>
    Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken);

    /// <summary>Stops the job and everything it started; no <see cref="JobExited"/> follows for it.</summary>
    Task CancelAsync(long jobId, CancellationToken cancellationToken);

    /// <summary>After a restart: whether a job recorded as started still runs, ended meanwhile, or is gone.</summary>
    Task<Reattachment> ReattachAsync(long jobId, string? handle, CancellationToken cancellationToken);

    /// <summary>Caps the power of a running job's GPUs where the backend can; returns what it did, for the log.</summary>
    Task<string> ThrottleAsync(long jobId, double powerFraction, double tdpWatts, CancellationToken cancellationToken);

    /// <summary>Path of a job's stdout or stderr file, or null when the backend keeps none.</summary>
    string? LogPath(long jobId, LogStream stream);
}

/// <summary>Which output stream of a job.</summary>
public enum LogStream
{
    Stdout,
    Stderr,
}
