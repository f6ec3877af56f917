namespace Serai.Execution;

/// <summary>
/// Where jobs really run at one or more sites (local processes, a Slurm cluster). Serai dispatches each attempt of a
/// placed job, stops it for a cancel or a preemption, reads its output and hears back through <see cref="EventRaised"/>.
/// Calls return once the backend has taken the request; what then happens to the job comes later as events.
/// </summary>
public interface IExecutionBackend
{
    /// <summary>A short name for logs and messages ("local", "slurm").</summary>
    string Name { get; }

    /// <summary>
    /// Raised from any thread, possibly before the call that caused it has returned: a job ended, a stop was carried
    /// out, a node or a whole site changed state. Handlers must be quick and must not throw.
    /// </summary>
    event Action<BackendEvent>? EventRaised;

    /// <summary>Starts an attempt of a job; returns an opaque handle to persist (a process id, a Slurm job id) or throws <see cref="DispatchException"/>.</summary>
    Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a stop for an attempt and returns without waiting for it to take effect. A <see cref="JobStopped"/> answers it
    /// once nothing of the attempt runs any more (one answers all stops sent while it was under way), also when the attempt
    /// had already ended or was unknown. No <see cref="JobEnded"/> follows for an attempt whose stop has begun.
    /// </summary>
    Task StopAsync(JobRef job, StopKind kind, CancellationToken cancellationToken);

    /// <summary>After a restart: whether an attempt recorded as started still runs (it is then watched again), ended meanwhile, or is gone.</summary>
    Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken);

    /// <summary>Caps the power of a running attempt's GPUs where the backend can; returns what it did, for the log.</summary>
    Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken);

    /// <summary>
    /// Reads up to <paramref name="maxBytes"/> of a job's stdout or stderr from <paramref name="offsetBytes"/>. The output of
    /// all attempts of the job is one stream, each later attempt after a marker line; an unknown job reads as empty.
    /// </summary>
    Task<LogChunk> ReadLogAsync(string site, long jobId, LogStream stream, long offsetBytes, int maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ReadLogAsync(string, long, LogStream, long, int, CancellationToken)"/>, for a job whose output pattern
    /// named <see cref="JobLogFile.Path"/>: a backend that runs such jobs reads that file as the job's account could (never
    /// through a link the job planted); others read their own log.
    /// </summary>
    Task<LogChunk> ReadLogAsync(JobLogFile file, long offsetBytes, int maxBytes, CancellationToken cancellationToken) =>
        ReadLogAsync(file.Site, file.JobId, file.Stream, offsetBytes, maxBytes, cancellationToken);

    /// <summary>
    /// Passes an operator's drain (or its end) of one node of a pool to the site's own manager, where the site has one (a
    /// Slurm cluster: `scontrol update nodename=... state=drain reason=...`); returns what it did, for the log. Serai
    /// itself stops placing work there either way.
    /// </summary>
    Task<string> SetNodeDrainedAsync(string site, string pool, int node, bool drained, string reason, CancellationToken cancellationToken) =>
        Task.FromResult("kept in Serai only: this backend has no node manager to tell");

    /// <summary>
    /// How many GPUs of jobs the site's own queue may hold for a pool ahead of GPUs freeing (a Slurm partition queues
    /// them PENDING and starts them the moment GPUs free); 0 where the site has no queue of its own (local processes).
    /// </summary>
    int LookAheadGpus(string site, string pool) => 0;
}
