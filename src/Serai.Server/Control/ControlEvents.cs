using Serai.Server.Jobs;
using Serai.Server.Persistence;

namespace Serai.Server.Control;

/// <summary>Something the control loop must react to; handled one at a time on the loop's thread.</summary>
public abstract record ControlEvent;

/// <summary>A job was committed to the database and must be queued.</summary>
public sealed record JobSubmitted(JobRow Row, JobRequest Request) : ControlEvent;

/// <summary>A caller asks to cancel a job; the loop answers through <see cref="Outcome"/>.</summary>
public sealed record CancelRequested(long JobId, string By, TaskCompletionSource<CancelOutcome> Outcome) : ControlEvent;

/// <summary>A job's process ended on its own.</summary>
public sealed record ProcessEnded(long JobId, int? ExitCode, string Reason) : ControlEvent;

/// <summary>The AI-system registry changed; the hub model is rebuilt with it.</summary>
public sealed record RegistryChanged : ControlEvent;

/// <summary>The timer: the envelope moves with the hour even when no job event comes.</summary>
public sealed record Tick : ControlEvent;

/// <summary>How a cancel request ended.</summary>
public enum CancelOutcome
{
    Cancelled,
    AlreadyFinished,
    Unknown,
}
