using System.Globalization;
using Serai.Execution;

namespace Serai.Server;

/// <summary>A backend that starts nothing: placed jobs "run" until stopped. For API benchmarks and dry runs.</summary>
public sealed class NullBackend : IExecutionBackend
{
    public string Name => "none";

    public event Action<BackendEvent>? EventRaised;

    public Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken) =>
        Task.FromResult(launch.JobId.ToString(CultureInfo.InvariantCulture));

    public Task StopAsync(JobRef job, StopKind kind, CancellationToken cancellationToken)
    {
        EventRaised?.Invoke(new JobStopped(job, kind, true, "stopped (nothing ran: no backend)"));
        return Task.CompletedTask;
    }

    public Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken) =>
        Task.FromResult(new Reattachment(ReattachState.Gone, EndKind: JobEndKind.Lost, Reason: "no backend"));

    public Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken) =>
        Task.FromResult("recorded only (no backend)");

    public Task<LogChunk> ReadLogAsync(string site, long jobId, LogStream stream, long offsetBytes, int maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(LogChunk.Empty(offsetBytes));
}
