using Serai.Execution;
using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>Something the control loop must react to; handled one at a time on the loop's thread.</summary>
public abstract record ControlEvent;

/// <summary>A job was committed to the database and must be queued.</summary>
public sealed record JobSubmitted(JobRow Row, JobRequest Request) : ControlEvent;

/// <summary>A caller asks to cancel a job; the loop answers through <see cref="Outcome"/>.</summary>
public sealed record CancelRequested(long JobId, string By, TaskCompletionSource<CancelOutcome> Outcome) : ControlEvent;

/// <summary>A caller changes a pending job (hold, release, priority, time limit, name); the loop answers through <see cref="Outcome"/>.</summary>
public sealed record JobChangeRequested(long JobId, Func<JobRequest, JobRequest> Change, TaskCompletionSource<ChangeOutcome> Outcome) : ControlEvent;

/// <summary>A caller sends a job that holds GPUs back to the queue; the loop answers whether it did.</summary>
public sealed record RequeueRequested(long JobId, string By, TaskCompletionSource<bool> Outcome) : ControlEvent;

/// <summary>How a change of a pending job ended.</summary>
public enum ChangeOutcome
{
    Changed,

    /// <summary>The job is not pending (any more): it was placed, ended, or is not known.</summary>
    NotPending,

    /// <summary>The database could not record it; nothing changed (try again).</summary>
    Unavailable,
}

/// <summary>A backend reported something on its own: a job ended, a stop was done, a node or site changed.</summary>
public sealed record BackendReported(BackendEvent Event) : ControlEvent;

/// <summary>
/// A dispatch to a backend came back: with the attempt's handle, or with the reason it failed (<see cref="Requeue"/>:
/// the site could not be reached and nothing started there, so the job goes back to the queue instead of failing).
/// </summary>
public sealed record DispatchAnswered(JobRef Job, string? Handle, string? Error, bool Requeue = false) : ControlEvent;

/// <summary>
/// The AI-system registry changed in the database; the loop (the hub model's one writer) rebuilds the model from it,
/// keeping usage, queue and running jobs, then completes <see cref="Applied"/>.
/// </summary>
public sealed record RegistryChanged(TaskCompletionSource? Applied = null) : ControlEvent
{
    /// <summary>Posts the change and waits (a few seconds at most) until the loop has applied it, so the caller reads its own write.</summary>
    public static async Task ApplyAsync(ControlLoop loop)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.Post(new RegistryChanged(applied));
        await Task.WhenAny(applied.Task, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }
}

/// <summary>The timer: the clock moves (hours turn, deferred jobs wake) even when no job event comes.</summary>
public sealed record Tick : ControlEvent;

/// <summary>How a cancel request ended.</summary>
public enum CancelOutcome
{
    Cancelled,
    AlreadyFinished,
    Unknown,

    /// <summary>The database could not record it; nothing changed (try again).</summary>
    Unavailable,
}
