using System.Collections.Concurrent;
using Serai.Core.Jobs;
using Serai.Execution;

namespace Serai.Server.Control;

/// <summary>
/// The loop's side of the backend seam: JobEnded becomes a <see cref="ProcessEnded"/> event, and a stop is awaited until
/// its JobStopped arrives, as the loop used to await a blocking cancel.
/// </summary>
public sealed partial class ControlLoop
{
    // Completed from the backend's thread by JobStopped; the loop waits on them between events.
    private readonly ConcurrentDictionary<JobRef, TaskCompletionSource> _stops = new();

    // Preemptions of the jobs the loop holds (absent = none), read on the loop's thread only: attempt = this + 1.
    private readonly Dictionary<long, long> _preemptions = [];

    private void OnBackendEvent(BackendEvent backendEvent)
    {
        switch (backendEvent)
        {
            case JobEnded ended:
                Post(new ProcessEnded(ended.Job.JobId, ended.ExitCode, ended.Reason));
                break;
            case JobStopped stopped when _stops.TryRemove(stopped.Job, out var waiter):
                waiter.TrySetResult();
                break;
            default:
                break; // node and site events: the runtime that replaces this loop acts on them
        }
    }

    private int Attempt(long id) => (int)Math.Min(int.MaxValue, _preemptions.GetValueOrDefault(id) + 1);

    private JobRef RefOf(long id, RunningJob job) => new(id, Attempt(id), _state.Hub.Sites[_state.Hub.Pools[job.Placement.Pool].Site].Name);

    /// <summary>Sends the stops, then waits until the backend confirms every one (bounded, so a lost confirmation cannot stall the hub).</summary>
    private async Task StopAndConfirmAsync(IReadOnlyList<JobRef> jobs, StopKind kind, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return;
        }
        var confirmations = jobs.Select(j => _stops.GetOrAdd(j, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
        foreach (var job in jobs)
        {
            await backend.StopAsync(job, kind, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await Task.WhenAll(confirmations).WaitAsync(options.StopConfirmTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var late = jobs.Where(j => _stops.TryRemove(j, out _)).ToList();
            logger.LogWarning("the {Backend} backend did not confirm {Count} stop(s) within {Timeout}: {Jobs}; going on as if stopped",
                backend.Name, late.Count, options.StopConfirmTimeout, string.Join(", ", late));
        }
    }
}
