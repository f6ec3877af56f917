using System.Globalization;
using Serai.Execution;

namespace Serai.Server;

/// <summary>A backend that starts nothing: placed jobs "run" until cancelled. For API benchmarks and dry runs.</summary>
public sealed class NullBackend : IExecutionBackend
{
    public string Name => "none";

    public event Action<JobExited>? JobExited
    {
        add { }
        remove { }
    }

    public Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken) =>
        Task.FromResult(launch.JobId.ToString(CultureInfo.InvariantCulture));

    public Task CancelAsync(long jobId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<Reattachment> ReattachAsync(long jobId, string? handle, CancellationToken cancellationToken) =>
        Task.FromResult(new Reattachment(ReattachState.Gone));

    public Task<string> ThrottleAsync(long jobId, double powerFraction, double tdpWatts, CancellationToken cancellationToken) =>
        Task.FromResult("recorded only (no backend)");

    public string? LogPath(long jobId, LogStream stream) => null;
}
