namespace Serai.Execution.Tests;

/// <summary>A backend that runs nothing: it records the calls it gets and raises whatever event a test hands it.</summary>
internal sealed class FakeBackend(string name) : IExecutionBackend, IDisposable
{
    private readonly List<string> _calls = [];

    public string Name => name;

    public int Disposals { get; private set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public event Action<BackendEvent>? EventRaised;

    public void Raise(BackendEvent backendEvent) => EventRaised?.Invoke(backendEvent);

    public Task<string> DispatchAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        Record($"dispatch {launch.Job}");
        return Task.FromResult($"{name}-{launch.JobId}");
    }

    public Task StopAsync(JobRef job, StopKind kind, CancellationToken cancellationToken)
    {
        Record($"stop {job} {kind}");
        Raise(new JobStopped(job, kind, true, "stopped by the fake"));
        return Task.CompletedTask;
    }

    public Task<Reattachment> ReattachAsync(JobRef job, string? handle, CancellationToken cancellationToken)
    {
        Record($"reattach {job} {handle}");
        return Task.FromResult(new Reattachment(ReattachState.Exited, 0, handle, JobEndKind.TimedOut));
    }

    public Task<string> ThrottleAsync(JobRef job, double powerFraction, double tdpWatts, CancellationToken cancellationToken)
    {
        Record($"throttle {job}");
        return Task.FromResult(name);
    }

    public Task<LogChunk> ReadLogAsync(string site, long jobId, LogStream stream, long offsetBytes, int maxBytes, CancellationToken cancellationToken)
    {
        Record($"log {site} {jobId} {stream} {offsetBytes}");
        return Task.FromResult(new LogChunk([(byte)name[0]], offsetBytes + 1, false));
    }

    public void Dispose() => Disposals++;

    private void Record(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }
}
